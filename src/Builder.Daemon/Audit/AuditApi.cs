using System.Globalization;
using Builder.Daemon.Api;
using Builder.Store.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Builder.Daemon.Audit;

/// <summary>
/// <c>GET /api/v1/audit/records?from=N[&amp;limit=M]</c>: the daemon's own view of the chain, which
/// <c>builder audit verify --against</c> compares with the off-site mailbox. Hashes and Message-IDs only, no
/// record text: the mailbox is the copy that counts.
/// </summary>
internal static class AuditApi
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/audit/records", ListAsync);
        return app;
    }

    private static async Task<Results<Ok<AuditRecordsPageDto>, JsonHttpResult<ErrorDto>>> ListAsync(
        string? from, string? limit, AuditRepository records, CancellationToken cancellationToken)
    {
        long start = 1;
        if (from is not null && (!long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start < 1))
        {
            return BuilderApi.Error(ApiError.Malformed($"query parameter 'from': '{from}' is not a seq (1 or more)"));
        }
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            return BuilderApi.Error(ApiError.Malformed($"query parameter 'limit': '{limit}' is not 1-{MaxLimit}"));
        }
        // One more than asked tells whether there is a next page without a count query.
        var rows = await records.ListAsync(start, size + 1, cancellationToken);
        var page = rows.Take(size).Select(AuditRecordDto.Create).ToList();
        return TypedResults.Ok(new AuditRecordsPageDto(page, rows.Count > size ? rows[size].Seq : null));
    }
}
