namespace Builder.Vm.Output.Binaries;

public static partial class BinaryOutputChecker
{
    // The .changes is what the publisher reads: exactly one, of this source and version, describing exactly the
    // package files returned. ChangesVerifier has already checked that what it lists exists with its size and hash.
    private static void CheckChanges(CheckContext c, IReadOnlyList<VmArtifact> artifacts)
    {
        var all = artifacts.Where(a => a.Name.EndsWith(".changes", StringComparison.Ordinal)).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        if (all.Count != 1)
        {
            c.Violations.Add(new BinaryViolation(OutputName, null, all.Count == 0
                ? $"{OutputName}: no .changes file; expected exactly one"
                : $"{OutputName}: {all.Count} .changes files ({string.Join(", ", all.Select(a => P(a.Name)))}); expected exactly one"));
            return;
        }
        var changes = ChangesParser.Parse(all[0], c.Violations);
        if (changes is null)
        {
            return;
        }
        var name = changes.Name;
        void Violation(string field, string problem) => c.Violations.Add(new BinaryViolation(name, field, $"{name}: {problem}"));
        var cv = c.Expected.Version.Text;
        if (changes.Source != c.Expected.Source)
        {
            Violation("Source", $"Source '{P(changes.Source)}' is not '{c.Expected.Source}'");
        }
        if (changes.SourceVersion is not null && changes.SourceVersion != cv)
        {
            Violation("Source", $"Source version '{P(changes.SourceVersion)}' is not the changelog version '{cv}'");
        }
        if (changes.Version != cv)
        {
            Violation("Version", $"Version '{P(changes.Version)}' is not the changelog version '{cv}'");
        }
        Compare(changes.Architectures.Where(a => a != "source"), c.Files, f => f.Architecture, "Architecture", "no binary file is of it", Violation);
        // dpkg-genchanges lists the packages of .deb and .udeb files in Binary, dbgsym .debs included; not those of .ddeb files.
        Compare(changes.Binaries, [.. c.Files.Where(f => !f.Name.EndsWith(".ddeb", StringComparison.Ordinal))], f => f.Package, "Binary",
            "no binary file holds it", Violation);
        var listed = changes.Files.ToHashSet(StringComparer.Ordinal);
        foreach (var artifact in artifacts.Where(a => SuffixOf(a.Name) is not null).OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            if (!listed.Contains(artifact.Name))
            {
                Violation("Files", $"Files does not list {P(artifact.Name)}");
            }
        }
    }

    private static void Compare(IEnumerable<string> listed, List<FileFacts> files, Func<FileFacts, string> value, string field, string unbacked,
        Action<string, string> violation)
    {
        var set = listed.ToHashSet(StringComparer.Ordinal);
        foreach (var word in set.Order(StringComparer.Ordinal))
        {
            if (!files.Any(f => value(f) == word))
            {
                violation(field, $"{field} lists '{P(word)}', but {unbacked}");
            }
        }
        foreach (var group in files.GroupBy(value, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!set.Contains(group.Key))
            {
                violation(field, $"{field} does not list '{P(group.Key)}' of {group.First().File}");
            }
        }
    }
}
