using System.Globalization;
using Builder.Core.Builds;
using Builder.Daemon.Api;
using Builder.Store.Builds;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Logs;

/// <summary>
/// <c>GET /api/v1/builds/{id}/log?offset=N[&amp;follow=true]</c>: the log from byte N as text/plain (UTF-8, with
/// <c>X-Content-Type-Options: nosniff</c>, so a browser shows guest-written markup as text). The response
/// headers tell where to continue (<c>X-Log-Offset</c>) and the build's state (<c>X-Build-State</c>). With follow, the
/// response stays open and streams new output until the build has finished and everything is sent, or until
/// Logs:FollowTimeout, after which the client reconnects with the offset it has.
/// </summary>
internal static class BuildLogApi
{
    public static IEndpointRouteBuilder MapBuildLogApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/builds/{id:long}/log", GetLogAsync);
        return app;
    }

    private static async Task GetLogAsync(long id, string? offset, string? follow, HttpContext http, BuildRepository builds, BuildLogStore logs,
        IOptions<BuildLogOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        long start = 0;
        if (offset is not null && (!long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out start)))
        {
            await BuilderApi.Error(ApiError.Malformed($"query parameter 'offset': '{offset}' is not a byte offset")).ExecuteAsync(http);
            return;
        }
        var followMode = follow is "true" or "1";
        var build = await builds.GetAsync(id, cancellationToken);
        if (build is null)
        {
            await BuilderApi.Error(ApiError.NotFound("unknown-build", $"unknown build {id}")).ExecuteAsync(http);
            return;
        }

        var (data, length) = await logs.ReadAsync(id, start, cancellationToken);
        // The log is guest-controlled text: a browser must render it as text, never sniff it into HTML (issue 17).
        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["X-Build-State"] = BuildStates.Name(build.State);
        if (!followMode)
        {
            http.Response.Headers["X-Log-Offset"] = (start + data.Length).ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-Log-Length"] = length.ToString(CultureInfo.InvariantCulture);
            await http.Response.Body.WriteAsync(data, cancellationToken);
            return;
        }

        // Follow: chunked response; the offset header is the starting point, the client counts bytes itself.
        http.Response.Headers["X-Log-Offset"] = start.ToString(CultureInfo.InvariantCulture);
        var position = start;
        var deadline = time.GetUtcNow() + options.Value.FollowTimeout;
        while (true)
        {
            if (data.Length > 0)
            {
                await http.Response.Body.WriteAsync(data, cancellationToken);
                await http.Response.Body.FlushAsync(cancellationToken);
                position += data.Length;
                (data, _) = await logs.ReadAsync(id, position, cancellationToken);
                continue;
            }
            // The state was read before the log: a finished build whose log read came back empty has nothing more
            // (the pipeline writes its last lines before the final transition).
            if (BuildStates.IsTerminal(build.State) || time.GetUtcNow() >= deadline)
            {
                return;
            }
            await Task.Delay(options.Value.FollowPollInterval, time, cancellationToken);
            build = await builds.GetAsync(id, cancellationToken) ?? build;
            (data, _) = await logs.ReadAsync(id, position, cancellationToken);
        }
    }
}
