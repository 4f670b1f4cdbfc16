using Builder.Core.Debian;

namespace Builder.Vm.Output.Binaries;

/// <summary>What one <see cref="BinaryOutputChecker.Check"/> call collects as it goes.</summary>
internal sealed class CheckContext(BinaryExpectation expected, DebReaderLimits limits)
{
    public BinaryExpectation Expected { get; } = expected;

    public DebReaderLimits Limits { get; } = limits;

    public Dictionary<string, BinaryControl> Declared { get; } = expected.Declared.ToDictionary(b => b.Package, StringComparer.Ordinal);

    /// <summary>Package name to the first file holding it.</summary>
    public Dictionary<string, string> Seen { get; } = new(StringComparer.Ordinal);

    /// <summary>Package and architecture of every readable package file, for the comparison with the .changes.</summary>
    public List<FileFacts> Files { get; } = [];

    public List<AcceptedBinary> Accepted { get; } = [];

    public List<BinaryViolation> Violations { get; } = [];
}
