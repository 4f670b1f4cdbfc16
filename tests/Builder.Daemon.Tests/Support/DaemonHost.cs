using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Builder.Core.Requests;
using Builder.Daemon.Acl;
using Builder.Daemon.Hosting;
using Builder.Tests.Common;
using Builder.Tests.Common.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Daemon.Tests.Support;

/// <summary>
/// A real builderd on a loopback port, over a fresh migrated database, with an ACL tree in a temp dir:
/// principals alice, bob (members of group devs), carol (cancel-any in dev); pockets dev (@devs, carol) and prod (alice).
/// Package repositories exist for 'hello' and 'other'.
/// </summary>
public class DaemonHost : IAsyncLifetime
{
    private readonly PostgresDatabase _db = new();
    private WebApplication? _app;

    public TestSigningKey Alice { get; } = TestSigningKey.Generate();
    public TestSigningKey Bob { get; } = TestSigningKey.Generate();
    public TestSigningKey Carol { get; } = TestSigningKey.Generate();

    public string Root { get; } = TestEnvironment.NewTempDirectory("daemon");
    public string AclDirectory => Path.Combine(Root, "acl");
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;
    public PostgresDatabase Database => _db;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        Directory.CreateDirectory(Path.Combine(AclDirectory, "keys"));
        Directory.CreateDirectory(Path.Combine(AclDirectory, "groups"));
        Directory.CreateDirectory(Path.Combine(AclDirectory, "acl"));
        WriteAcl("keys/alice.pub", Alice.PublicKeyLine + "\n");
        WriteAcl("keys/bob.pub", Bob.PublicKeyLine + "\n");
        WriteAcl("keys/carol.pub", Carol.PublicKeyLine + "\n");
        WriteAcl("groups/devs", "# the developers\nalice\nbob\n");
        WriteAcl("acl/dev", "@devs\ncarol cancel-any\n");
        WriteAcl("acl/prod", "alice\n");
        foreach (var package in new[] { "hello", "other" })
        {
            Directory.CreateDirectory(Path.Combine(Root, "git", package + ".git"));
        }

        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = _db.ConnectionString,
            ["Http:Urls"] = "http://127.0.0.1:0",
            ["Acl:Directory"] = AclDirectory,
            ["Acl:Debounce"] = "00:00:00.100",
            ["Acl:RescanInterval"] = "00:00:02",
            ["Logs:Directory"] = Path.Combine(Root, "logs"),
            ["Logs:FollowPollInterval"] = "00:00:00.050",
            ["Hooks:Directory"] = Path.Combine(Root, "hooks"),
            ["Packages:RepositoryUrl"] = Path.Combine(Root, "git", "{package}.git"),
            ["Pockets:dev:Branch"] = "dev",
            ["Pockets:dev:AllowBacktracking"] = "true",
            ["Pockets:prod:Branch"] = "main",
            ["Logging:LogLevel:Default"] = "Warning",
            // API tests: builds stay where the API put them (the pipeline has its own tests).
            ["Scheduler:Enabled"] = "false",
        };
        foreach (var (key, value) in await SettingsAsync())
        {
            settings[key] = value;
        }
        _app = BuilderDaemon.Create(null, settings);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address + "/");
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    /// <summary>Settings a derived host adds or overrides (the full pipeline stack, for instance).</summary>
    protected virtual Task<IReadOnlyDictionary<string, string?>> SettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    public virtual async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await _db.DisposeAsync();
        if (Environment.GetEnvironmentVariable("BUILDER_TEST_KEEP") == "1")
        {
            return;
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a VM's leftover process; the test work dir is removed by ops/test anyway.
        }
    }

    public void WriteAcl(string relative, string content) => File.WriteAllText(Path.Combine(AclDirectory, relative), content);

    /// <summary>Reloads the ACL tree now instead of waiting for the watcher.</summary>
    public void ReloadAcl() => Services.GetRequiredService<AclMonitor>().Reload();

    public static BuildRequest Submit(string requester, string pocket = "dev", string package = "hello", string? commit = null, DateTimeOffset? issued = null) =>
        new(RequestAction.Submit, pocket, package, commit, null, requester, RequestFormat.NewNonce(), issued ?? NowSeconds());

    public static BuildRequest Cancel(string requester, string pocket, long buildId) =>
        new(RequestAction.Cancel, pocket, null, null, buildId, requester, RequestFormat.NewNonce(), NowSeconds());

    public static DateTimeOffset NowSeconds()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>Posts request text with a signature; returns the status and the parsed JSON answer.</summary>
    public async Task<(int Status, JsonElement Body)> PostAsync(string requestText, string signature)
    {
        using var response = await Http.PostAsJsonAsync("api/v1/requests", new { request = requestText, signature });
        return (((int)response.StatusCode), await ReadJsonAsync(response));
    }

    public Task<(int Status, JsonElement Body)> PostAsync(BuildRequest request, TestSigningKey key, string ns = "builder")
    {
        var text = RequestFormat.Serialize(request);
        return PostAsync(text, key.Sign(Encoding.UTF8.GetBytes(text), ns));
    }

    public async Task<(int Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (((int)response.StatusCode), await ReadJsonAsync(response));
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
