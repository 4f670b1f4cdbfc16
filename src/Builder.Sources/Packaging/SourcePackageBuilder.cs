using System.Globalization;
using System.Security.Cryptography;
using Builder.Core.Debian;
using Builder.Core.Processes;

namespace Builder.Sources.Packaging;

/// <summary>
/// Runs <c>dpkg-source -b</c> on an exported tree and collects the .dsc and the files it lists, checking
/// each against the .dsc's Checksums-Sha256 so what goes on the job disk is exactly what the .dsc names.
/// </summary>
internal static class SourcePackageBuilder
{
    private const int MaxDscBytes = 1024 * 1024;

    public static async Task<SourcePackage> BuildAsync(string workDirectory, string treeDirectory, SourceFormat format, ChangelogEntry changelog,
        TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        // Nothing of the daemon's environment (credentials, proxies, DEB_* overrides) reaches the tool (ProcessCommand's
        // fixed PATH and LANG, and these), and SOURCE_DATE_EPOCH makes the tarball's timestamps those of the changelog entry (reproducible sources).
        // "--": the directory name is ours (source-version), but nothing after it may be read as an option.
        var command = new ProcessCommand("dpkg-source", ["--build", "--", treeDirectory])
        {
            WorkingDirectory = workDirectory,
            Environment =
            {
                ["LC_ALL"] = "C.UTF-8",
                ["HOME"] = workDirectory,
                ["TMPDIR"] = workDirectory,
                ["SOURCE_DATE_EPOCH"] = changelog.Date.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            },
            Timeout = timeout,
            Time = time,
        };
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(command, cancellationToken);
        }
        catch (ProcessException e)
        {
            throw new SourceException(e.Message, e);
        }
        if (result.ExitCode != 0)
        {
            // dpkg-source prints its reasons as "info:" lines on stdout and the verdict on stderr: keep both.
            throw new SourceException($"dpkg-source --build failed with exit status {result.ExitCode}: {BoundedOutput.Tail(result.StandardError.Trim())}\n" +
                $"output: {BoundedOutput.Tail(result.StandardOutput.Trim())}");
        }

        var dscName = $"{changelog.Source}_{changelog.Version.WithoutEpoch}.dsc";
        var dscPath = Path.Combine(workDirectory, dscName);
        if (!File.Exists(dscPath) || new FileInfo(dscPath).Length > MaxDscBytes)
        {
            throw new SourceException($"dpkg-source --build did not write {dscName} (or wrote more than {MaxDscBytes} bytes); its output: {BoundedOutput.Tail(result.StandardOutput)}");
        }
        var dsc = await HashAsync(dscPath, cancellationToken);
        var files = new List<SourceArtifact>();
        foreach (var (sha256, size, name) in DscChecksums(await File.ReadAllTextAsync(dscPath, cancellationToken), dscName))
        {
            var path = Path.Combine(workDirectory, name);
            var artifact = File.Exists(path) ? await HashAsync(path, cancellationToken) : throw new SourceException($"{dscName} lists {name}, which dpkg-source did not write");
            if (artifact.Sha256 != sha256 || artifact.Size != size)
            {
                throw new SourceException($"{name} does not match its Checksums-Sha256 line in {dscName}");
            }
            files.Add(artifact);
        }
        return new SourcePackage(workDirectory, format, dsc, files);
    }

    /// <summary>The Checksums-Sha256 lines of a .dsc: <c> sha256 size name</c>, names without any path.</summary>
    internal static List<(string Sha256, long Size, string Name)> DscChecksums(string dsc, string dscName)
    {
        var list = new List<(string, long, string)>();
        var lines = dsc.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("Checksums-Sha256:", StringComparison.OrdinalIgnoreCase));
        if (start < 0)
        {
            throw new SourceException($"{dscName} has no Checksums-Sha256 field");
        }
        for (var i = start + 1; i < lines.Length && lines[i].StartsWith(' '); i++)
        {
            var parts = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || parts[0].Length != 64 || !parts[0].All(char.IsAsciiHexDigitLower)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                || parts[2] is "." or ".." || parts[2].Contains('/', StringComparison.Ordinal))
            {
                throw new SourceException($"{dscName} line {i + 1}: malformed Checksums-Sha256 entry");
            }
            list.Add((parts[0], size, parts[2]));
        }
        return list.Count > 0 ? list : throw new SourceException($"{dscName} lists no files");
    }

    private static async Task<SourceArtifact> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return new SourceArtifact(Path.GetFileName(path), path, stream.Length, Convert.ToHexStringLower(hash));
    }
}
