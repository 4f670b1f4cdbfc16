using System.Globalization;
using Builder.Core.Builds;
using Builder.Core.Pockets;
using Builder.Daemon.Acl;
using Builder.Daemon.Hosting;
using Builder.Daemon.Requests;
using Builder.Store.Builds;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Api;

/// <summary>The HTTP API of DESIGN.md under <c>/api/v1</c>, plus <c>/healthz</c>.</summary>
internal static class BuilderApi
{
    public const int MaxListLimit = 500;

    public static IEndpointRouteBuilder MapBuilderApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapPost("/requests", PostRequestAsync);
        api.MapGet("/builds/{id:long}", GetBuildAsync);
        api.MapGet("/builds/{id:long}/provenance", GetProvenanceAsync);
        api.MapGet("/builds", ListBuildsAsync);
        api.MapGet("/queue", GetQueueAsync);
        app.MapGet("/healthz", HealthAsync);
        return app;
    }

    internal static JsonHttpResult<ErrorDto> Error(ApiError e) => TypedResults.Json(new ErrorDto(e.Code, e.Message), statusCode: e.Status);

    private static async Task<Results<Created<RequestAcceptedDto>, Accepted<RequestAcceptedDto>, Ok<RequestAcceptedDto>, JsonHttpResult<ErrorDto>>> PostRequestAsync(
        HttpRequest http, RequestAcceptor acceptor, IOptionsMonitor<HttpApiOptions> options, CancellationToken cancellationToken)
    {
        var limit = options.CurrentValue.MaxRequestBodyBytes;
        var body = await BodyReader.ReadAsync(http, limit, cancellationToken);
        if (body is null)
        {
            return Error(ApiError.TooLarge($"body: larger than {limit} bytes"));
        }
        var signed = SignedRequestBody.Parse(body, out var error);
        if (error is not null)
        {
            return Error(ApiError.Malformed(error));
        }
        var result = await acceptor.AcceptAsync(signed.Request, signed.Signature, cancellationToken);
        if (result.Error is { } refused)
        {
            return Error(refused);
        }
        var id = result.BuildId!.Value;
        var dto = new RequestAcceptedDto(id, BuildStates.Name(result.State!.Value), result.CancelRequested, $"/api/v1/builds/{id}");
        if (result.CancelRequested)
        {
            return TypedResults.Accepted(dto.Url, dto);
        }
        return result.State == BuildState.Queued ? TypedResults.Created(dto.Url, dto) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<BuildDetailsDto>, JsonHttpResult<ErrorDto>>> GetBuildAsync(
        long id, BuildRepository builds, CancellationToken cancellationToken)
    {
        var build = await builds.GetAsync(id, cancellationToken);
        if (build is null)
        {
            return Error(ApiError.NotFound("unknown-build", $"unknown build {id}"));
        }
        var stages = await builds.StageTimingsAsync(id, cancellationToken) ?? StageTimings.None;
        return TypedResults.Ok(BuildDetailsDto.From(build, await builds.EventsAsync(id, cancellationToken), stages,
            await builds.BuildDependenciesAsync(id, cancellationToken)));
    }

    /// <summary>
    /// The envelope's bytes exactly as stored: their sha256 is what the build-end audit record carries, so nothing here
    /// may re-encode them. Public like the build itself: provenance is for whoever installs the packages.
    /// </summary>
    private static async Task<Results<FileContentHttpResult, JsonHttpResult<ErrorDto>>> GetProvenanceAsync(
        long id, BuildRepository builds, ProvenanceRepository provenance, CancellationToken cancellationToken)
    {
        if (await provenance.LatestAsync(id, cancellationToken) is { } stored)
        {
            return TypedResults.Bytes(stored.Envelope, Builder.Core.Provenance.ProvenanceTypes.DsseEnvelopeMediaType);
        }
        return await builds.GetAsync(id, cancellationToken) is null
            ? Error(ApiError.NotFound("unknown-build", $"unknown build {id}"))
            : Error(ApiError.NotFound("no-provenance", $"build {id} has no provenance: it was not published, or was published before provenance existed"));
    }

    private static async Task<Results<Ok<IReadOnlyList<BuildDto>>, JsonHttpResult<ErrorDto>>> ListBuildsAsync(
        string? pocket, string? package, string? state, string? limit, BuildRepository builds, CancellationToken cancellationToken)
    {
        if (pocket is not null && !PocketNames.IsValidPocket(pocket))
        {
            return Error(ApiError.Malformed($"query parameter 'pocket': '{pocket}' is not a pocket name"));
        }
        if (package is not null && !PocketNames.IsValidPackage(package))
        {
            return Error(ApiError.Malformed($"query parameter 'package': '{package}' is not a Debian package name"));
        }
        BuildState? parsedState = null;
        if (state is not null)
        {
            if (!BuildStates.TryParse(state, out var s))
            {
                return Error(ApiError.Malformed(
                    $"query parameter 'state': '{state}' is not a build state ({string.Join(", ", Enum.GetValues<BuildState>().Select(BuildStates.Name))})"));
            }
            parsedState = s;
        }
        var n = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n is < 1 or > MaxListLimit))
        {
            return Error(ApiError.Malformed($"query parameter 'limit': '{limit}' is not a number from 1 to {MaxListLimit}"));
        }
        var list = await builds.ListAsync(new BuildQuery(pocket, package, parsedState, n), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<BuildDto>>([.. list.Select(BuildDto.From)]);
    }

    private static async Task<Ok<IReadOnlyList<BuildDto>>> GetQueueAsync(BuildRepository builds, CancellationToken cancellationToken)
    {
        var list = await builds.QueueAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<BuildDto>>([.. list.Select(BuildDto.From)]);
    }

    private static async Task<JsonHttpResult<HealthDto>> HealthAsync(BuildRepository builds, AclMonitor acl, CancellationToken cancellationToken)
    {
        var tree = acl.Current;
        var aclHealth = new AclHealthDto(tree.Hash, tree.Errors.Count, [.. tree.Errors.Select(e => e.ToString())]);
        var database = await builds.PingAsync(cancellationToken);
        return database is null
            ? TypedResults.Json(new HealthDto("ok", "ok", aclHealth))
            : TypedResults.Json(new HealthDto("unhealthy", database, aclHealth), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
