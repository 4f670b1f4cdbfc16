using Builder.Daemon.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Daemon.Tests.Api;

[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildsApiTests(DaemonHost host) : IClassFixture<DaemonHost>
{
    [Theory]
    [InlineData("api/v1/builds?state=running", "query parameter 'state': 'running' is not a build state")]
    [InlineData("api/v1/builds?limit=0", "query parameter 'limit': '0' is not a number from 1 to 500")]
    [InlineData("api/v1/builds?limit=abc", "query parameter 'limit'")]
    [InlineData("api/v1/builds?pocket=Dev", "query parameter 'pocket': 'Dev' is not a pocket name")]
    [InlineData("api/v1/builds?package=a", "query parameter 'package': 'a' is not a Debian package name")]
    public async Task Bad_list_filters_are_rejected_with_400_naming_the_parameter(string path, string message)
    {
        var (status, body) = await host.GetAsync(path);
        Assert.Equal(400, status);
        Assert.Contains(message, body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_build_is_404()
    {
        var (status, body) = await host.GetAsync("api/v1/builds/424242424");
        Assert.Equal(404, status);
        Assert.Equal("unknown-build", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task List_filters_by_pocket_package_and_state_and_queue_shows_queued_builds_oldest_first()
    {
        var (_, a) = await host.PostAsync(DaemonHost.Submit("alice", package: "other"), host.Alice);
        var (_, b) = await host.PostAsync(DaemonHost.Submit("alice", pocket: "prod", package: "other"), host.Alice);
        var idA = a.GetProperty("id").GetInt64();
        var idB = b.GetProperty("id").GetInt64();

        var (_, prodOther) = await host.GetAsync("api/v1/builds?pocket=prod&package=other&state=queued");
        Assert.Contains(prodOther.EnumerateArray(), x => x.GetProperty("id").GetInt64() == idB);
        Assert.DoesNotContain(prodOther.EnumerateArray(), x => x.GetProperty("id").GetInt64() == idA);
        Assert.All(prodOther.EnumerateArray(), x => Assert.Equal("prod", x.GetProperty("pocket").GetString()));

        var (_, queue) = await host.GetAsync("api/v1/queue");
        var ids = queue.EnumerateArray().Select(x => x.GetProperty("id").GetInt64()).ToList();
        Assert.True(ids.IndexOf(idA) < ids.IndexOf(idB) && ids.IndexOf(idA) >= 0);
        Assert.Equal(ids.Order(), ids);
    }

    [Fact]
    public async Task Healthz_reports_database_and_acl()
    {
        var (status, body) = await host.GetAsync("healthz");
        Assert.Equal(200, status);
        Assert.Equal("ok", body.GetProperty("database").GetString());
        Assert.StartsWith("sha256:", body.GetProperty("acl").GetProperty("hash").GetString(), StringComparison.Ordinal);
    }
}
