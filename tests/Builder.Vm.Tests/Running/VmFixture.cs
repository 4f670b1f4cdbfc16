using System.Net;
using Builder.Farm;
using Builder.Farm.Records;
using Builder.Tests.Common;
using Builder.Vm.Running;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Builder.Vm.Tests.Running;

/// <summary>The real image, real distccd farm hosts and the demo source package, shared by the VM tests.</summary>
public sealed class VmFixture : IAsyncLifetime
{
    public string Image { get; } = TestEnvironment.Require("BUILDER_TEST_IMAGE");

    public IReadOnlyList<IPEndPoint> Farm { get; } = TestEnvironment.Require("BUILDER_TEST_DISTCCD")
        .Split(',').Select(IPEndPoint.Parse).ToArray();

    public string FarmLogs { get; } = TestEnvironment.Require("BUILDER_TEST_DISTCCD_LOGS");

    public IReadOnlyList<string> DemoSource { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var dir = TestEnvironment.NewTempDirectory("demo-source");
        CopyDirectory(Path.Combine(RepositoryRoot(), "ops", "demo", "builder-hello"), Path.Combine(dir, "builder-hello"));
        await TestProcess.CheckAsync("dpkg-source", ["-b", "builder-hello"], dir);
        DemoSource = Directory.GetFiles(dir).Where(f => f.Contains("builder-hello_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    internal VmRunner Runner(Action<VmOptions>? configure = null)
    {
        var options = new VmOptions
        {
            ImageDirectory = Image,
            Memory = 2048,
            Cpus = 2,
            Timeout = TimeSpan.FromMinutes(8),
            WorkDirectory = TestEnvironment.NewTempDirectory("vm"),
            OutputSize = 256L << 20,
            OverlaySize = 4L << 30,
            Accelerator = VmAccelerator.Auto,
        };
        configure?.Invoke(options);
        return new VmRunner(Options.Create(options), TimeProvider.System, NullLogger<VmRunner>.Instance);
    }

    /// <summary>The real gateway (AddBuilderFarm) in front of the two farm hosts; its records are dropped.</summary>
    internal IHost Gateway()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(Farm.Select((h, i) => new KeyValuePair<string, string?>($"Farm:Hosts:{i}", $"{h}/2")));
        builder.Services.AddSingleton<ICompileJobSink, DiscardingSink>();
        builder.Services.AddBuilderFarm();
        return builder.Build();
    }

    private sealed class DiscardingSink : ICompileJobSink
    {
        public Task WriteAsync(IReadOnlyList<CompileJobRecord> batch, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Builder.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Builder.sln not found above the test binaries");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var dir in Directory.GetDirectories(from))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
