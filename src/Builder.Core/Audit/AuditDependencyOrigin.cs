using Builder.Core.Pockets;

namespace Builder.Core.Audit;

/// <summary>
/// Where a build dependency came from, as <c>build-deps</c> writes it: <c>mirror</c> (the Debian mirror of
/// BuildDeps:SourceFiles) or <c>pocket:&lt;pocket&gt;</c> (a pocket's own repository, a trust domain of its own).
/// </summary>
public static class AuditDependencyOrigin
{
    public const string Mirror = "mirror";

    public const string PocketPrefix = "pocket:";

    /// <summary><c>pocket:&lt;name&gt;</c>; throws <see cref="ArgumentException"/> when the name is not a pocket name.</summary>
    public static string Pocket(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!PocketNames.IsValidPocket(name))
        {
            throw new ArgumentException($"'{name}' is not a pocket name [a-z0-9][a-z0-9-]*", nameof(name));
        }
        return PocketPrefix + name;
    }

    public static bool IsValid(string origin) => origin == Mirror || PocketOf(origin) is not null;

    /// <summary>The pocket an origin names, or null for <c>mirror</c> and for anything that is not an origin.</summary>
    public static string? PocketOf(string origin) =>
        origin.StartsWith(PocketPrefix, StringComparison.Ordinal) && PocketNames.IsValidPocket(origin[PocketPrefix.Length..])
            ? origin[PocketPrefix.Length..]
            : null;
}
