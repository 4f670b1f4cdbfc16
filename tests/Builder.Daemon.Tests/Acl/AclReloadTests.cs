using System.Text.Json;
using Builder.Daemon.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Daemon.Tests.Acl;

/// <summary>ACL errors close exactly the affected pockets, through the real HTTP API; edits are picked up by the watcher.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class AclReloadTests(DaemonHost host) : IClassFixture<DaemonHost>, IAsyncLifetime
{
    private const string GoodProd = "alice\n";
    private const string GoodDevs = "# the developers\nalice\nbob\n";

    public Task InitializeAsync() => Task.CompletedTask;

    // Every test leaves the tree as the fixture made it.
    public Task DisposeAsync()
    {
        host.WriteAcl("acl/prod", GoodProd);
        host.WriteAcl("groups/devs", GoodDevs);
        host.WriteAcl("keys/bob.pub", host.Bob.PublicKeyLine + "\n");
        host.ReloadAcl();
        return Task.CompletedTask;
    }

    private static void AssertClosed(string fragment, (int Status, JsonElement Body) answer)
    {
        Assert.Equal(403, answer.Status);
        Assert.Equal("pocket-closed", answer.Body.GetProperty("error").GetString());
        Assert.Contains(fragment, answer.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_principal_closes_only_that_pocket_and_names_file_and_line()
    {
        host.WriteAcl("acl/prod", "alice\ndave\n");
        host.ReloadAcl();
        AssertClosed("acl/prod line 2: unknown principal 'dave'", await host.PostAsync(DaemonHost.Submit("alice", pocket: "prod"), host.Alice));
        Assert.Equal(201, (await host.PostAsync(DaemonHost.Submit("alice", pocket: "dev"), host.Alice)).Status);
    }

    [Fact]
    public async Task Bad_key_line_closes_the_pockets_that_reference_the_principal()
    {
        host.WriteAcl("keys/bob.pub", "ssh-ed25519 not-base64!!\n");
        host.ReloadAcl();
        // bob is in @devs, which acl/dev references; prod only lists alice and stays open.
        AssertClosed("keys/bob.pub line 1", await host.PostAsync(DaemonHost.Submit("alice", pocket: "dev"), host.Alice));
        Assert.Equal(201, (await host.PostAsync(DaemonHost.Submit("alice", pocket: "prod"), host.Alice)).Status);
    }

    [Fact]
    public async Task Missing_group_closes_the_pocket()
    {
        host.WriteAcl("acl/prod", "alice\n@release-managers\n");
        host.ReloadAcl();
        AssertClosed("acl/prod line 2", await host.PostAsync(DaemonHost.Submit("alice", pocket: "prod"), host.Alice));
    }

    [Fact]
    public async Task Duplicate_entry_closes_the_pocket()
    {
        host.WriteAcl("acl/prod", "alice\nalice\n");
        host.ReloadAcl();
        AssertClosed("acl/prod line 2", await host.PostAsync(DaemonHost.Submit("alice", pocket: "prod"), host.Alice));
    }

    [Fact]
    public async Task Crlf_line_ends_close_the_pocket_and_say_so()
    {
        host.WriteAcl("acl/prod", "alice\r\n");
        host.ReloadAcl();
        AssertClosed("CRLF", await host.PostAsync(DaemonHost.Submit("alice", pocket: "prod"), host.Alice));
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_as_a_file_closes_the_pocket()
    {
        // Tests run as root, so permissions cannot make a file unreadable; a directory where a file belongs can't be read either.
        File.Delete(Path.Combine(host.AclDirectory, "groups", "devs"));
        Directory.CreateDirectory(Path.Combine(host.AclDirectory, "groups", "devs"));
        try
        {
            host.ReloadAcl();
            AssertClosed("groups/devs", await host.PostAsync(DaemonHost.Submit("alice", pocket: "dev"), host.Alice));
        }
        finally
        {
            Directory.Delete(Path.Combine(host.AclDirectory, "groups", "devs"));
        }
    }

    [Fact]
    public async Task An_edit_is_picked_up_without_a_restart()
    {
        var (_, before) = await host.GetAsync("healthz");
        var hashBefore = before.GetProperty("acl").GetProperty("hash").GetString();
        host.WriteAcl("acl/prod", "alice\nbob\n");
        // The watcher (debounce 100 ms in the fixture) or the 2 s rescan reloads it; poll the API for the new tree.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? hashAfter = hashBefore;
        while (hashAfter == hashBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            hashAfter = (await host.GetAsync("healthz")).Body.GetProperty("acl").GetProperty("hash").GetString();
        }
        Assert.NotEqual(hashBefore, hashAfter);
        Assert.Equal(201, (await host.PostAsync(DaemonHost.Submit("bob", pocket: "prod"), host.Bob)).Status);
    }

    [Fact]
    public async Task Accepted_builds_record_the_acl_hash_in_force()
    {
        var (_, health) = await host.GetAsync("healthz");
        var (_, submitted) = await host.PostAsync(DaemonHost.Submit("alice", pocket: "prod"), host.Alice);
        var (_, build) = await host.GetAsync($"api/v1/builds/{submitted.GetProperty("id").GetInt64()}");
        Assert.Equal(health.GetProperty("acl").GetProperty("hash").GetString(), build.GetProperty("aclHash").GetString());
    }
}
