using System.Globalization;
using System.Text.Json;
using Builder.EndToEnd.Tests.Support;
using Builder.Tests.Common;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// The whole pipeline stack of <see cref="PipelineHost"/>, where the builds run in builderd processes the tests start,
/// kill with SIGKILL and restart (<see cref="StartBuilderAsync"/>). The in-process daemon of the fixture is API-only
/// (Scheduler:Enabled false): the tests submit and watch through it, whichever builder is alive. The packages are
/// copies of the tiny demo package (ops/demo/builder-tiny) under the names given, each in its own repository.
/// </summary>
public abstract class BuilderdProcessHost : PipelineHost
{
    private readonly List<BuilderdProcess> _builders = [];

    /// <summary>The package repositories this fixture makes (copies of builder-tiny).</summary>
    protected abstract IReadOnlyList<string> Packages { get; }

    /// <summary>Where builds held at a pause point leave their marker files.</summary>
    public string PauseDirectory => Path.Combine(Root, "pauses");

    public IReadOnlyDictionary<string, string?> BuilderSettings { get; private set; } = new Dictionary<string, string?>();

    protected override async Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        var settings = new Dictionary<string, string?>(await base.SettingsAsync());
        foreach (var package in Packages)
        {
            TestProcess.Check(Path.Combine(TestEnvironment.RepositoryRoot, "ops", "lib", "demo-repo.sh"), [GitDirectory, "builder-tiny", package]);
        }
        // The tiny package needs no more than this, and several VMs fit side by side.
        settings["Vm:Memory"] = "1024";
        settings["Vm:Cpus"] = "1";
        settings["Vm:Timeout"] = "00:10:00";
        BuilderSettings = new Dictionary<string, string?>(settings)
        {
            ["Scheduler:Enabled"] = "true",
            // The builders' output is a file the failure messages quote: say what happens.
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft"] = "Warning",
            ["Logging:LogLevel:Quartz"] = "Warning",
            ["Logging:LogLevel:Npgsql"] = "Warning",
        };
        settings["Scheduler:Enabled"] = "false";
        return settings;
    }

    /// <summary>
    /// Starts a builder: this fixture's configuration with <paramref name="overrides"/>, and the test-only pause points
    /// <paramref name="pauseAt"/> when given; <paramref name="launcher"/> and <paramref name="environment"/> as
    /// <see cref="BuilderdProcess.StartAsync"/> takes them.
    /// </summary>
    public async Task<BuilderdProcess> StartBuilderAsync(string name, IReadOnlyDictionary<string, string> overrides, string? pauseAt = null,
        IReadOnlyList<string>? launcher = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in BuilderSettings)
        {
            settings[key] = value;
        }
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        settings.Remove("Http:Urls");
        var builder = await BuilderdProcess.StartAsync(name, settings, Root, pauseAt, PauseDirectory, launcher, environment);
        _builders.Add(builder);
        return builder;
    }

    public override async Task DisposeAsync()
    {
        foreach (var builder in _builders)
        {
            await builder.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    public async Task<long> SubmitAsync(string package)
    {
        var (status, body) = await PostAsync(Submit("alice", pocket: "dev", package: package), Alice);
        Assert.True(status == 201, $"submit of {package}: {status} {body}");
        return body.GetProperty("id").GetInt64();
    }

    /// <summary>
    /// Polls until every build is final; fails with the build's log and the builders' output when one is not after
    /// <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, JsonElement>> WaitForAllAsync(IEnumerable<long> ids, TimeSpan limit, params BuilderdProcess[] builders)
    {
        var deadline = DateTime.UtcNow + limit;
        var done = new Dictionary<long, JsonElement>();
        foreach (var id in ids)
        {
            while (true)
            {
                var details = await this.DetailsAsync(id);
                if (BuildWaits.IsFinal(BuildWaits.State(details)))
                {
                    done[id] = details;
                    break;
                }
                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"build {id} still {BuildWaits.State(details)} after {limit}; its log:\n{await this.LogAsync(id)}\n"
                        + string.Join('\n', builders.Select(b => b.LogTail())));
                }
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
        return done;
    }
}
