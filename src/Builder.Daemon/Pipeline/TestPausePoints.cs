using System.Globalization;

namespace Builder.Daemon.Pipeline;

/// <summary>
/// TEST ONLY: holds builds at named stage boundaries so that a crash test can kill -9 the daemon exactly there.
/// Inert unless <c>builderd run --test-pause-points</c> is given AND <c>BUILDER_TEST_PAUSE_AT</c> names points; either
/// alone does nothing (the variable without the switch is ignored with a warning), so no configuration file and no
/// stray environment variable can turn it on in production.
/// <list type="bullet">
/// <item><c>BUILDER_TEST_PAUSE_AT</c>: comma list of <c>point</c> or <c>point@pocket/package</c>, points being
/// <c>prepared</c>, <c>audited</c>, <c>built</c>, <c>included</c> (see <see cref="PausePoint"/>).</item>
/// <item><c>BUILDER_TEST_PAUSE_DIR</c>: where a build arriving at a point writes the marker file <c>&lt;build&gt;.&lt;point&gt;</c>.</item>
/// </list>
/// The build stays held while its marker exists: the test kills the daemon, or deletes the marker to let it go on.
/// </summary>
internal sealed class TestPausePoints
{
    public const string PauseAtVariable = "BUILDER_TEST_PAUSE_AT";
    public const string PauseDirectoryVariable = "BUILDER_TEST_PAUSE_DIR";
    public const string Switch = "--test-pause-points";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<Entry> _entries;

    private TestPausePoints(IReadOnlyList<Entry> entries, string? directory)
    {
        _entries = entries;
        Directory = directory;
    }

    /// <summary>The production instance: holds nothing.</summary>
    public static TestPausePoints None { get; } = new([], null);

    public string? Directory { get; }

    public static string NameOf(PausePoint point) => point switch
    {
        PausePoint.Prepared => "prepared",
        PausePoint.Audited => "audited",
        PausePoint.Built => "built",
        PausePoint.Included => "included",
        _ => throw new ArgumentOutOfRangeException(nameof(point)),
    };

    /// <summary>Parses the two variables' values.</summary>
    /// <exception cref="FormatException">a value is malformed; the message names the variable and the entry.</exception>
    public static TestPausePoints Parse(string? pauseAt, string? directory)
    {
        if (string.IsNullOrWhiteSpace(pauseAt))
        {
            throw new FormatException($"{Switch} needs {PauseAtVariable} (comma list of point[@pocket/package]; points: prepared, audited, built, included)");
        }
        if (string.IsNullOrEmpty(directory) || !Path.IsPathFullyQualified(directory))
        {
            throw new FormatException($"{Switch} needs {PauseDirectoryVariable}, an absolute directory for the marker files");
        }
        var entries = new List<Entry>();
        foreach (var item in pauseAt.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var at = item.IndexOf('@', StringComparison.Ordinal);
            var name = at < 0 ? item : item[..at];
            var point = Enum.GetValues<PausePoint>().Cast<PausePoint?>().FirstOrDefault(p => NameOf(p!.Value) == name)
                ?? throw new FormatException($"{PauseAtVariable}: unknown point '{name}' in '{item}'; points: prepared, audited, built, included");
            string? pocket = null, package = null;
            if (at >= 0)
            {
                var target = item[(at + 1)..].Split('/');
                if (target.Length != 2 || target[0].Length == 0 || target[1].Length == 0)
                {
                    throw new FormatException($"{PauseAtVariable}: '{item}' must be point or point@pocket/package");
                }
                (pocket, package) = (target[0], target[1]);
            }
            entries.Add(new Entry(point, pocket, package));
        }
        return new TestPausePoints(entries, directory);
    }

    /// <summary>The points as given, for the start-up warning.</summary>
    public override string ToString() =>
        string.Join(',', _entries.Select(e => e.Pocket is null ? NameOf(e.Point) : $"{NameOf(e.Point)}@{e.Pocket}/{e.Package}"));

    /// <summary>Whether builds of this pocket and package are held at <paramref name="point"/>.</summary>
    public bool Holds(PausePoint point, string pocket, string package) =>
        _entries.Any(e => e.Point == point && (e.Pocket is null || (e.Pocket == pocket && e.Package == package)));

    /// <summary>Writes the marker of this build and point, and waits until it is deleted (or the token fires).</summary>
    public async Task HoldAsync(PausePoint point, long buildId, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory!);
        var marker = Path.Combine(Directory!, string.Create(CultureInfo.InvariantCulture, $"{buildId}.{NameOf(point)}"));
        await File.WriteAllTextAsync(marker, string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}\n"), cancellationToken);
        while (File.Exists(marker))
        {
            await Task.Delay(Poll, cancellationToken);
        }
    }

    private sealed record Entry(PausePoint Point, string? Pocket, string? Package);
}
