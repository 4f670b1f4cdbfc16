using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Builder.Daemon.Audit;
using Builder.Core.Audit;
using Builder.Core.Debian;
using Builder.Daemon.Apt;
using Builder.Daemon.Pipeline.Copies;

namespace Builder.Daemon.Pipeline;

/// <summary>
/// What preparing decided, written to the build's work directory before the audit record so that a build waiting
/// for its audit delivery (even across a daemon restart) resumes with exactly what was audited. <paramref name="Copy"/>
/// is the build whose binaries are copied instead of building (null: build in a VM); <paramref name="DeclaredBinaries"/>
/// are the binary packages the source's debian/control declares, as parsed on the host: what the VM's output is
/// checked against.
/// </summary>
internal sealed record BuildPlan(
    string CommitId,
    string Version,
    string? ExpectedHeadCommit,
    string DscPath,
    IReadOnlyList<string> SourceFiles,
    IReadOnlyList<ResolvedDependency> BuildDeps,
    string DebsDirectory,
    string ImageManifestSha256,
    CopySource? Copy,
    string Section,
    string Priority,
    IReadOnlyList<BinaryControl> DeclaredBinaries)
{
    /// <summary>
    /// The build's facts for its audit records: its VM image and build-deps with their origins, or for a copy those of
    /// the build it copies, named with its build-end record's seq.
    /// </summary>
    public AuditFacts AuditFacts() => Copy is { } copy
        ? new(copy.Image, copy.BuildDeps, new AuditCopySource(copy.BuildId, copy.EndSeq))
        : new("sha256:" + ImageManifestSha256,
            [.. BuildDeps.Select(d => new AuditBuildDependency(d.Name, d.Version, d.Origin, d.Sha256))]);

    public const string FileName = "plan.json";

    /// <summary>
    /// Bumped when a field's meaning changes. A plan of another format (written by an older builderd, without build-dep
    /// origins or declared binaries) is not resumed: the build fails at auditing and is submitted again.
    /// </summary>
    public const int CurrentFormat = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public int Format { get; init; } = CurrentFormat;

    public async Task SaveAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        // Write then rename: a crash leaves the old plan or the new one, never half of one.
        await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(this, Json), cancellationToken);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Whether a plan file of any format is in <paramref name="directory"/> (to tell an old plan from a lost one).</summary>
    public static bool ExistsIn(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>The plan, or null when there is none or it is of another format.</summary>
    public static async Task<BuildPlan?> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        // Read before binding: a missing "format" would otherwise take the current one from the initializer.
        if (JsonNode.Parse(text)?["format"]?.GetValue<int>() != CurrentFormat)
        {
            return null;
        }
        return JsonSerializer.Deserialize<BuildPlan>(text, Json);
    }
}
