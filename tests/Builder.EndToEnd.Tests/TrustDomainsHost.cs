using Builder.EndToEnd.Tests.Support;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// The full pipeline with three pockets as separate trust domains: dev (anyone in @devs, backtracking), prod (alice;
/// copies from no pocket, takes build-deps from no other pocket) and rc (alice; copies from dev, as a release
/// candidate pocket that accepts dev's work when its build-deps came from sources rc trusts). Packages:
/// builder-lib (builder-tiny with a build-dependency from the Debian mirror), builder-user (builder-tiny that
/// build-depends on builder-lib, which only a pocket's repository has), and the attacker packages trojan, forger and liar.
/// </summary>
public sealed class TrustDomainsHost : PipelineHost
{
    /// <summary>From the mirror; not in the VM image, so the VM installs it.</summary>
    public const string MirrorDependency = "liblz4-dev";

    protected override async Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        var settings = new Dictionary<string, string?>(await base.SettingsAsync())
        {
            ["Pockets:rc:Branch"] = "main",
            ["Pockets:rc:CopyFrom:0"] = "dev",
        };
        // prod as the quickstart ships it: it builds everything itself.
        settings.Remove("Pockets:prod:CopyFrom:0");
        WriteAcl("acl/rc", "alice\n");
        var tiny = SourceRepository.DemoPackage("builder-tiny");
        SourceRepository.Create(GitDirectory, tiny, "builder-lib", buildDepends: MirrorDependency);
        SourceRepository.Create(GitDirectory, tiny, "builder-user", buildDepends: "builder-lib");
        SourceRepository.Create(GitDirectory, SourceRepository.TestPackage("trojan"), "trojan");
        SourceRepository.Create(GitDirectory, SourceRepository.TestPackage("forger"), "forger");
        SourceRepository.Create(GitDirectory, SourceRepository.TestPackage("liar"), "liar");
        return settings;
    }
}
