using Builder.Core.Debian;

namespace Builder.Vm.Output.Binaries;

/// <summary>
/// Checks a build's returned binary packages against the source the host prepared, after the output tar was
/// extracted and its .changes checksums verified and before anything is published. A rooted guest can make
/// debian/rules build and register any package (say a <c>zlib1g-dev</c> 99:1.0 from a source that declares only
/// <c>trojan</c>); this is where that stops. Every .deb/.udeb/.ddeb must be a package debian/control declares (or
/// its automatic <c>-dbgsym</c>), of the changelog version, of this source, of the right architecture and package
/// type, under its canonical file name, once; the single .changes must describe exactly these files. All
/// violations are collected, each naming the file and field.
/// </summary>
public static partial class BinaryOutputChecker
{
    /// <summary>The name violations of the output as a whole carry.</summary>
    public const string OutputName = "output";

    private static readonly string[] PackageSuffixes = [".deb", ".udeb", ".ddeb"];

    /// <summary>Checks every package file and the .changes among <paramref name="artifacts"/>.</summary>
    public static BinaryCheckResult Check(BinaryExpectation expected, IReadOnlyList<VmArtifact> artifacts, DebReaderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(artifacts);
        var context = new CheckContext(expected, limits ?? DebReaderLimits.Default);
        foreach (var artifact in artifacts.Where(a => SuffixOf(a.Name) is not null).OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            CheckPackage(context, artifact);
        }
        CheckChanges(context, artifacts);
        return new BinaryCheckResult(context.Accepted, context.Violations);
    }

    private static string? SuffixOf(string name) => PackageSuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal));

    private static void CheckPackage(CheckContext c, VmArtifact artifact)
    {
        var file = OutputExtractor.Printable(artifact.Name);
        var suffix = SuffixOf(artifact.Name)!;
        var before = c.Violations.Count;
        void Violation(string? field, string problem) => c.Violations.Add(new BinaryViolation(file, field, $"{file}: {problem}"));

        DebControl control;
        try
        {
            control = DebReader.Read(artifact.Path, c.Limits);
        }
        catch (DebFormatException e)
        {
            c.Violations.Add(new BinaryViolation(file, null, e.Message));
            return;
        }
        var package = control["Package"];
        var versionText = control["Version"];
        var architecture = control["Architecture"];
        foreach (var (field, value) in new[] { ("Package", package), ("Version", versionText), ("Architecture", architecture) })
        {
            if (string.IsNullOrEmpty(value))
            {
                Violation(field, $"{field} field is missing");
            }
        }
        if (string.IsNullOrEmpty(package))
        {
            return;
        }
        if (!DebianControl.IsValidPackageName(package))
        {
            Violation("Package", $"Package '{P(package)}' is not a valid package name");
            return;
        }
        if (!string.IsNullOrEmpty(architecture))
        {
            c.Files.Add(new FileFacts(file, artifact.Name, package, architecture));
        }
        if (c.Seen.TryGetValue(package, out var other))
        {
            Violation("Package", $"package '{package}' is also in {other}");
        }
        else
        {
            c.Seen[package] = file;
        }

        var kind = Classify(c, control, package, Violation, out var declared);
        if (kind is null)
        {
            return;
        }

        DebianVersion? version = null;
        if (!string.IsNullOrEmpty(versionText))
        {
            if (!DebianVersion.TryParse(versionText, out version, out var error))
            {
                Violation("Version", $"Version '{P(versionText)}' is not a valid version: {error}");
            }
            else if (version.Text != c.Expected.Version.Text)
            {
                Violation("Version", $"Version '{P(versionText)}' is not the changelog version '{c.Expected.Version}'");
            }
        }
        CheckSource(c, control, package, Violation);

        var expectedArchitecture = declared!.IsArchitectureIndependent ? "all" : c.Expected.BuildArchitecture;
        var declaration = $"debian/control line {declared.Line}: Architecture: {string.Join(' ', declared.Architectures)}";
        if (!declared.IsArchitectureIndependent && !declared.IsBuiltFor(c.Expected.BuildArchitecture))
        {
            Violation("Architecture", $"package '{declared.Package}' is not built for {c.Expected.BuildArchitecture} ({declaration})");
        }
        else if (!string.IsNullOrEmpty(architecture) && architecture != expectedArchitecture)
        {
            Violation("Architecture", $"Architecture '{P(architecture)}' is not '{expectedArchitecture}' ({declaration})");
        }

        var packageType = control["Package-Type"] ?? "deb";
        var (expectedType, expectedSuffix) = kind switch
        {
            BinaryKind.Udeb => ("udeb", ".udeb"),
            BinaryKind.DebugSymbols when suffix == ".ddeb" => ("ddeb", ".ddeb"),
            _ => ("deb", ".deb"),
        };
        if (packageType != expectedType)
        {
            Violation("Package-Type", kind == BinaryKind.DebugSymbols
                ? $"Package-Type '{P(packageType)}' is not '{expectedType}', as a debug-symbols package named *{suffix} has"
                : $"Package-Type '{P(packageType)}' is not '{expectedType}' (debian/control line {declared.Line} declares a {declared.PackageType})");
        }
        if (suffix != expectedSuffix)
        {
            Violation(null, kind == BinaryKind.DebugSymbols
                ? "a debug-symbols package must be named *.deb or *.ddeb"
                : $"a {declared.PackageType} must be named *{expectedSuffix}");
        }
        else if (version is not null && !string.IsNullOrEmpty(architecture)
            && artifact.Name != $"{package}_{version.WithoutEpoch}_{architecture}{suffix}")
        {
            Violation(null, $"file name is not '{P($"{package}_{version.WithoutEpoch}_{architecture}{suffix}")}' (Package_Version-without-epoch_Architecture{suffix})");
        }

        if (c.Violations.Count == before && version is not null)
        {
            c.Accepted.Add(new AcceptedBinary(file, package, version, architecture!, kind.Value));
        }
    }

    // Which declared package this file is (itself, or the parent of its -dbgsym), or null after a violation.
    private static BinaryKind? Classify(CheckContext c, DebControl control, string package, Action<string?, string> violation,
        out BinaryControl? declared)
    {
        var autoBuilt = control["Auto-Built-Package"];
        if (c.Declared.TryGetValue(package, out declared))
        {
            if (autoBuilt is not null)
            {
                violation("Auto-Built-Package", $"Auto-Built-Package '{P(autoBuilt)}' on package '{package}', which debian/control declares");
            }
            return declared.PackageType == "udeb" ? BinaryKind.Udeb : BinaryKind.Deb;
        }
        var notDeclared = $"package '{package}' is not declared in {c.Expected.Source}'s debian/control";
        if (!package.EndsWith(DebianControl.DebugSymbolsSuffix, StringComparison.Ordinal)
            || !c.Declared.TryGetValue(package[..^DebianControl.DebugSymbolsSuffix.Length], out declared))
        {
            violation("Package", notDeclared);
            return null;
        }
        if (autoBuilt != "debug-symbols")
        {
            violation("Auto-Built-Package", autoBuilt is null
                ? $"{notDeclared}, and it has no 'Auto-Built-Package: debug-symbols' to be the debug symbols of '{declared.Package}'"
                : $"{notDeclared}, and its Auto-Built-Package is '{P(autoBuilt)}', not 'debug-symbols'");
            return null;
        }
        if (declared.PackageType == "udeb")
        {
            violation("Package", $"package '{package}': '{declared.Package}' is a udeb, and udebs have no debug-symbols packages");
            return null;
        }
        return BinaryKind.DebugSymbols;
    }

    // dpkg: no Source field means the package's own name is its source's name; 'name (version)' when the source
    // version differs from the package's.
    private static void CheckSource(CheckContext c, DebControl control, string package, Action<string?, string> violation)
    {
        var source = control["Source"];
        if (source is null)
        {
            if (package != c.Expected.Source)
            {
                violation("Source", $"has no Source field, so its source is '{package}', not '{c.Expected.Source}'");
            }
            return;
        }
        if (!SourceField.TryParse(source, out var name, out var version))
        {
            violation("Source", $"Source '{P(source)}' is not 'name' or 'name (version)'");
            return;
        }
        if (name != c.Expected.Source)
        {
            violation("Source", $"Source '{P(name)}' is not '{c.Expected.Source}'");
        }
        if (version is not null && version != c.Expected.Version.Text)
        {
            violation("Source", $"Source version '{P(version)}' is not the changelog version '{c.Expected.Version}'");
        }
    }

    private static string P(string text) => OutputExtractor.Printable(text);
}
