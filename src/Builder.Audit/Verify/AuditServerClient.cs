using System.Net.Http.Json;
using System.Text.Json;
using Builder.Core.Audit;

namespace Builder.Audit.Verify;

/// <summary>
/// Reads the daemon's own list of audit records: <c>GET {url}/api/v1/audit/records?from=N</c> answering
/// <c>{"records":[{"seq":1,"hash":"sha256:…","build":42,"event":"build-start","messageId":"…"|null,"acceptedAt":"…"|null}],"next":N|null}</c>,
/// following <c>next</c> until it is null.
/// </summary>
internal sealed class AuditServerClient(HttpClient http)
{
    public const int MaxResponseBytes = 16 * 1024 * 1024;
    public const int MaxRecords = 10_000_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<AuditServerRecord>> FetchAsync(Uri baseUrl, long fromSeq, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        // Resolve relative to the base's path, also when it was given without a trailing slash.
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        var records = new List<AuditServerRecord>();
        long? from = fromSeq;
        while (from is { } f)
        {
            var url = new Uri(root, $"api/v1/audit/records?from={f}");
            AuditRecordsPage? page;
            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw new AuditMailboxException($"--against: {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
                }
                page = await response.Content.ReadFromJsonAsync<AuditRecordsPage>(Json, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new AuditMailboxException($"--against: cannot read {url}: {e.Message}", e);
            }
            if (page?.Records is null)
            {
                throw new AuditMailboxException($"--against: {url} did not answer with a records list");
            }
            foreach (var r in page.Records)
            {
                if (r.Seq < f || r.Hash is null || r.Event is null)
                {
                    throw new AuditMailboxException($"--against: {url} sent an invalid record (seq {r.Seq})");
                }
                records.Add(new AuditServerRecord(r.Seq, r.Hash, r.Build, r.Event, r.MessageId));
            }
            if (records.Count > MaxRecords)
            {
                throw new AuditMailboxException($"--against: more than {MaxRecords} records");
            }
            if (page.Next is { } next && next <= f)
            {
                throw new AuditMailboxException($"--against: {url} sent next={next}, which does not advance");
            }
            from = page.Next;
        }
        return records;
    }

    private sealed record AuditRecordsPage(List<AuditRecordDto>? Records, long? Next);

    private sealed record AuditRecordDto(long Seq, string? Hash, long? Build, string? Event, string? MessageId, DateTimeOffset? AcceptedAt);
}
