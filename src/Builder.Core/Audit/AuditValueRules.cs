using Builder.Core.Builds;
using Builder.Core.Pockets;

namespace Builder.Core.Audit;

/// <summary>
/// What each value of an audit record may look like. Allow lists, each with a maximum length, so a record
/// never carries a space, a control character or an unbounded token into the auditor's mailbox.
/// </summary>
public static class AuditValueRules
{
    public const int MaxToken = 256;
    public const int MaxRequestBytes = 4096;
    public const int MaxSignatureBytes = 16 * 1024;
    public const int MaxBuildDeps = 4096;
    public const int MaxArtifacts = 1024;

    public const string HashExpectation = "expected 'sha256:' followed by 64 lowercase hex digits";

    public static bool IsHash(string value) =>
        value.Length == 71 && value.StartsWith("sha256:", StringComparison.Ordinal) && IsLowerHex(value.AsSpan(7));

    public static bool IsLowerHex(ReadOnlySpan<char> value, int length = 64) =>
        value.Length == length && !value.ContainsAnyExcept("0123456789abcdef");

    public static bool IsCommit(string value) => value.Length == 0 || IsLowerHex(value, 40);

    /// <summary>Debian version characters (Policy 5.6.12) including the epoch colon, bounded.</summary>
    public static bool IsVersion(string value) =>
        value.Length is > 0 and <= 128 && char.IsAsciiDigit(value[0]) && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-' or '~' or ':');

    public static bool IsPrincipal(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@');

    /// <summary>An OpenSSH SHA256 fingerprint: <c>SHA256:</c> and 43 unpadded base64 characters.</summary>
    public static bool IsKeyFingerprint(string value) =>
        value.Length == 50 && value.StartsWith("SHA256:", StringComparison.Ordinal) &&
        value.AsSpan(7).All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/');

    public static bool IsHost(string value) =>
        value.Length is > 0 and <= 253 && char.IsAsciiLetterOrDigit(value[0]) &&
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');

    /// <summary>An artifact file name: no path, no leading dot, Debian file-name characters.</summary>
    public static bool IsArtifactName(string value) =>
        value.Length is > 0 and <= MaxToken && char.IsAsciiLetterOrDigit(value[0]) &&
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-' or '~');

    public static bool IsPocket(string value) => PocketNames.IsValidPocket(value);

    public static bool IsPackage(string value) => PocketNames.IsValidPackage(value);

    /// <summary>A binary package name in build-deps (Debian allows single letters there too).</summary>
    public static bool IsDependencyName(string value) =>
        value.Length is > 0 and <= 128 && char.IsAsciiLetterLower(value[0]) | char.IsAsciiDigit(value[0]) &&
        value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.');

    /// <summary>A build-dep's origin: <c>mirror</c> or <c>pocket:&lt;pocket&gt;</c> (<see cref="AuditDependencyOrigin"/>).</summary>
    public static bool IsDependencyOrigin(string value) => AuditDependencyOrigin.IsValid(value);

    public static bool IsStage(string value) => BuildStages.IsValid(value);

    private static bool All(this ReadOnlySpan<char> span, Func<char, bool> predicate)
    {
        foreach (var c in span)
        {
            if (!predicate(c))
            {
                return false;
            }
        }
        return true;
    }
}
