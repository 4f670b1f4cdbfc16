using System.Net;
using System.Text.Json;
using Builder.Audit.Verify;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Daemon.Audit;
using Builder.Store.Audit;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Daemon.Tests.Audit;

/// <summary>GET /api/v1/audit/records on a real Kestrel, read by the same client `builder audit verify --against` uses.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class AuditApiTests : IAsyncLifetime
{
    // A chain of its own per test: the assertions name every seq on the server.
    private readonly PostgresDatabase _db = new();
    private WebApplication? _app;
    private Uri _url = null!;
    private readonly List<long> _seqs = [];

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        var db = _db;
        var builds = new BuildRepository(db.DataSource);
        var records = new AuditRepository(db.DataSource);
        for (var i = 0; i < 5; i++)
        {
            var id = await builds.SubmitAsync(new NewBuild("dev", $"api{i}", null, "alice", "SHA256:" + new string('Q', 43), new string('a', 64),
                "builder-request 1\n", "-----BEGIN SSH SIGNATURE-----\n", Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow), CancellationToken.None);
            Assert.True(await builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
            var r = await records.AppendAsync(id, AuditEvent.BuildStart, 1, (seq, prev) => new AuditRecord
            {
                Seq = seq, Prev = prev, Event = AuditEvent.BuildStart, Build = id, Pocket = "dev", Package = $"api{i}", Requester = "alice",
                Key = "SHA256:" + new string('Q', 43), Acl = "sha256:" + new string('a', 64), Host = "b1", Time = DateTimeOffset.UnixEpoch,
                Request = "builder-request 1\n", Signature = "sig\n",
            }, CancellationToken.None);
            if (i < 4)
            {
                await records.MarkAcceptedAsync(r.Seq, $"audit.{r.Seq}@b1", DateTimeOffset.UtcNow, CancellationToken.None);
            }
            _seqs.Add(r.Seq);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(records);
        _app = builder.Build();
        _app.MapAuditApi();
        await _app.StartAsync();
        _url = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    [Fact]
    public async Task Records_are_listed_in_pages_with_hashes_and_Message_IDs()
    {
        using var http = new HttpClient();
        using var first = JsonDocument.Parse(await http.GetStringAsync(new Uri(_url, "/api/v1/audit/records?from=1&limit=3")));
        var page = first.RootElement.GetProperty("records");
        Assert.Equal(3, page.GetArrayLength());
        Assert.Equal(_seqs[0], page[0].GetProperty("seq").GetInt64());
        Assert.Equal("genesis", page[0].GetProperty("prev").GetString());
        Assert.StartsWith("sha256:", page[0].GetProperty("hash").GetString(), StringComparison.Ordinal);
        Assert.Equal("build-start", page[0].GetProperty("event").GetString());
        Assert.Equal($"audit.{_seqs[0]}@b1", page[0].GetProperty("messageId").GetString());
        Assert.Equal(_seqs[3], first.RootElement.GetProperty("next").GetInt64());

        using var last = JsonDocument.Parse(await http.GetStringAsync(new Uri(_url, $"/api/v1/audit/records?from={_seqs[3]}&limit=3")));
        Assert.Equal(2, last.RootElement.GetProperty("records").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, last.RootElement.GetProperty("next").ValueKind);
        Assert.Equal(JsonValueKind.Null, last.RootElement.GetProperty("records")[1].GetProperty("messageId").ValueKind);
    }

    [Fact]
    public async Task A_bad_from_is_a_400_naming_the_parameter()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(_url, "/api/v1/audit/records?from=zero"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("query parameter 'from': 'zero' is not a seq", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_against_this_endpoint_lists_what_an_empty_mailbox_lacks_and_the_undelivered_record()
    {
        var maildir = Path.Combine(TestEnvironment.NewTempDirectory("audit-api"), "Maildir");
        Directory.CreateDirectory(Path.Combine(maildir, "new"));
        var result = await new AuditVerifier().VerifyAsync(maildir, new AuditVerifyOptions(Against: _url), CancellationToken.None);
        Assert.Equal(
            [.. _seqs.Take(4).Select(_ => AuditFindingKind.ServerMismatch), AuditFindingKind.NotDelivered],
            result.Report.Findings.Select(f => f.Kind));
        Assert.Equal(_seqs[4], result.Report.Findings[^1].Seq);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await _db.DisposeAsync();
    }
}
