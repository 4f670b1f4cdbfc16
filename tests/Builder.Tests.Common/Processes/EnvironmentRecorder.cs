namespace Builder.Tests.Common.Processes;

/// <summary>
/// A stand-in program (a fake tool, a hook) that writes its whole environment to <c>DIR/env.PID</c> and exits 0. It is
/// perl, not sh: a shell adds variables of its own (PWD), and the assertion is on exactly what the child was given.
/// </summary>
public static class EnvironmentRecorder
{
    /// <summary>Writes the recorder to <paramref name="path"/> (mode 755), recording into <paramref name="records"/>.</summary>
    public static void Write(string path, string records)
    {
        Directory.CreateDirectory(records);
        File.WriteAllText(path, $$"""
            #!/usr/bin/perl
            open(my $f, '>', '{{records}}/env.' . $$) or die "record: $!";
            print $f map { "$_=$ENV{$_}\0" } sort keys %ENV;
            close($f) or die "record: $!";
            """ + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    /// <summary>Every recorded environment, one dictionary a run.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string records) =>
        [.. Directory.GetFiles(records, "env.*").Order(StringComparer.Ordinal).Select(Parse)];

    private static Dictionary<string, string> Parse(string file) =>
        File.ReadAllText(file).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
}
