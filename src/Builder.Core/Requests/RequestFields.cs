using System.Globalization;
using Builder.Core.Acl;
using Builder.Core.Pockets;

namespace Builder.Core.Requests;

/// <summary>The field names of the request text, their order per action, and the rule for each value.</summary>
internal static class RequestFields
{
    public const string Magic = "builder-request";
    public const string Version = "1";
    public const string Action = "action";
    public const string Pocket = "pocket";
    public const string Package = "package";
    public const string Commit = "commit";
    public const string Build = "build";
    public const string Requester = "requester";
    public const string Nonce = "nonce";
    public const string Issued = "issued";

    public const string IssuedFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>Fields after <c>action</c> for a submit; <c>commit</c> is the only optional one.</summary>
    public static readonly string[] SubmitOrder = [Pocket, Package, Commit, Requester, Nonce, Issued];

    public static readonly string[] CancelOrder = [Pocket, Build, Requester, Nonce, Issued];

    public static readonly string[] All = [Magic, Action, Pocket, Package, Commit, Build, Requester, Nonce, Issued];

    public static bool IsOptional(string field) => field == Commit;

    public static string ActionName(RequestAction action) => action switch
    {
        RequestAction.Submit => "submit",
        RequestAction.Cancel => "cancel",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Why <paramref name="value"/> is not valid for <paramref name="field"/>, or null when it is.</summary>
    public static string? Problem(string field, string value) => field switch
    {
        Pocket => PocketNames.IsValidPocket(value)
            ? null
            : $"{UntrustedText.Quote(value)} is not a pocket name ([a-z0-9][a-z0-9-]*, at most {PocketNames.MaxLength} characters)",
        Package => PocketNames.IsValidPackage(value)
            ? null
            : $"{UntrustedText.Quote(value)} is not a Debian source package name ([a-z0-9][a-z0-9+.-]+, at most {PocketNames.MaxLength} characters)",
        Commit => IsLowerHex(value, 40) ? null : $"{UntrustedText.Quote(value)} is not a commit id (exactly 40 lowercase hex digits)",
        Build => TryParseBuildId(value, out _) ? null : $"{UntrustedText.Quote(value)} is not a build id (a positive integer without leading zeros)",
        Requester => PrincipalNames.IsValid(value)
            ? null
            : $"{UntrustedText.Quote(value)} is not a principal name ([a-z_][a-z0-9_-]*, at most {PrincipalNames.MaxLength} characters)",
        Nonce => IsLowerHex(value, 32) ? null : $"{UntrustedText.Quote(value)} is not a nonce (exactly 32 lowercase hex digits)",
        Issued => TryParseIssued(value, out _) ? null : $"{UntrustedText.Quote(value)} is not a UTC time of the form 2026-11-22T17:30:00Z",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    public static bool TryParseBuildId(string value, out long id)
    {
        id = 0;
        return value.Length is > 0 and <= 19
            && value[0] is >= '1' and <= '9'
            && value.All(char.IsAsciiDigit)
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    public static bool TryParseIssued(string value, out DateTimeOffset issued) =>
        DateTimeOffset.TryParseExact(
            value, IssuedFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out issued)
        && FormatIssued(issued) == value;

    public static string FormatIssued(DateTimeOffset issued) =>
        issued.UtcDateTime.ToString(IssuedFormat, CultureInfo.InvariantCulture);

    private static bool IsLowerHex(string value, int length) =>
        value.Length == length && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
