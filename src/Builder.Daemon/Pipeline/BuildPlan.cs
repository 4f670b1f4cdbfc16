using System.Text.Json;
using System.Text.Json.Serialization;

namespace Builder.Daemon.Pipeline;

/// <summary>
/// What preparing decided, written to the build's work directory before the audit record so that a build waiting
/// for its audit delivery (even across a daemon restart) resumes with exactly what was audited.
/// </summary>
public sealed record BuildPlan(
    string CommitId,
    string Version,
    string? ExpectedHeadCommit,
    string DscPath,
    IReadOnlyList<string> SourceFiles,
    IReadOnlyList<ResolvedDependency> BuildDeps,
    string DebsDirectory,
    string ImageManifestSha256,
    string? CopyFromPocket,
    string Section,
    string Priority)
{
    public const string FileName = "plan.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public async Task SaveAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        // Write then rename: a crash leaves the old plan or the new one, never half of one.
        await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(this, Json), cancellationToken);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static async Task<BuildPlan?> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<BuildPlan>(await File.ReadAllTextAsync(path, cancellationToken), Json) : null;
    }
}
