using Builder.Core.Pockets;
using Builder.Sources.Mirrors;
using Builder.Sources.Pockets;
using Builder.Sources.Tagging;
using Builder.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Builder.Sources.Tests.Support;

/// <summary>One test's world: a temp root with the package repositories, the mirror cache and the services under test.</summary>
internal sealed class SourcesTestContext : IDisposable
{
    public SourcesTestContext(Action<PackagesOptions>? configure = null)
    {
        Root = TestEnvironment.NewTempDirectory("sources");
        Options = new PackagesOptions
        {
            RepositoryUrl = Path.Combine(Root, "remote", "{package}.git"),
            MirrorDirectory = Path.Combine(Root, "mirrors"),
            TaggerName = "Builder Test",
            TaggerEmail = "builder@example.org",
        };
        configure?.Invoke(Options);
        Mirrors = NewMirrorCache();
        Sources = new PackageSources(Mirrors, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, NullLogger<PackageSources>.Instance);
        Tagger = new PocketTagger(Mirrors, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, NullLogger<PocketTagger>.Instance);
    }

    public string Root { get; }

    public PackagesOptions Options { get; }

    public MirrorCache Mirrors { get; }

    public PackageSources Sources { get; }

    public PocketTagger Tagger { get; }

    /// <summary>A second cache over the same directory: it shares the mirrors only through the file lock, as another process would.</summary>
    public MirrorCache NewMirrorCache() =>
        new(Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, NullLogger<MirrorCache>.Instance);

    public PackageRepository NewPackage(string? name = null) => new(Root, name ?? $"hello{Guid.NewGuid():N}"[..14]);

    public string NewOutputDirectory() => Path.Combine(Root, "out", Guid.NewGuid().ToString("N"));

    public SourceRequest Request(PackageRepository package, string pocket = "prod", string? commit = null, PocketHeadState? head = null,
        bool allowBacktracking = false, string branch = "main") =>
        new(1, pocket, new PocketOptions { Branch = branch, AllowBacktracking = allowBacktracking }, package.Package, commit, head, NewOutputDirectory());

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
