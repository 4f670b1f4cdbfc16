using System.CommandLine;
using System.Globalization;
using Builder.Cli;
using Builder.Core.Builds;
using Builder.Daemon.Tests.Support;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Dapper;

namespace Builder.EndToEnd.Tests;

/// <summary><c>builder status</c> against a real builderd: the stage timings the API computes from build_events, as the CLI prints them.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class StatusEndToEndTests(DaemonHost host) : IClassFixture<DaemonHost>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Status_shows_when_the_build_finished_and_its_stage_timings_from_the_api()
    {
        var (status, accepted) = await host.PostAsync(DaemonHost.Submit("alice", package: "other"), host.Alice);
        Assert.Equal(201, status);
        var id = accepted.GetProperty("id").GetInt64();
        var builds = new BuildRepository(host.Database.DataSource);
        Assert.True(await builds.TransitionAsync(id, BuildState.Queued, BuildState.Preparing, null, null, null, CancellationToken.None));
        Assert.True(await builds.TransitionAsync(id, BuildState.Preparing, BuildState.Auditing, null, null, null, CancellationToken.None));
        Assert.True(await builds.TransitionAsync(id, BuildState.Auditing, BuildState.Cancelled, null, "cancelled on request", null, CancellationToken.None));
        // The database's clock wrote the times; set known ones.
        await using (var conn = await host.Database.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                UPDATE builds SET created_at = @t0, finished_at = @t0 + interval '119 seconds' WHERE id = @id;
                UPDATE build_events SET at = @t0 + interval '2 seconds' WHERE build_id = @id AND to_state = 'preparing';
                UPDATE build_events SET at = @t0 + interval '8.5 seconds' WHERE build_id = @id AND to_state = 'auditing';
                UPDATE build_events SET at = @t0 + interval '119 seconds' WHERE build_id = @id AND to_state = 'cancelled';
                """, new { id, t0 = T0.UtcDateTime });
        }

        var (_, details) = await host.GetAsync($"api/v1/builds/{id}");
        var stages = details.GetProperty("stages");
        Assert.Equal(6.5, stages.GetProperty("prepare").GetDouble());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stages.GetProperty("audit").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stages.GetProperty("boot").ValueKind);

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BuilderCommandLine.RunAsync(["status", id.ToString(CultureInfo.InvariantCulture), "--url", host.BaseAddress.ToString()],
            new InvocationConfiguration { Output = output, Error = error });
        Assert.True(code == 0, error.ToString());
        Assert.Contains("finished   2026-11-23 10:01:59Z (1m 59s after submission)\n", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("stages     prepare 6.5 s\n", output.ToString(), StringComparison.Ordinal);
    }
}
