using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Builder.Core.Requests;

/// <summary>
/// The canonical request text of DESIGN.md: the exact bytes a submitter signs. Parsing is strict (one spelling per
/// request) so the bytes that were verified are the bytes that are stored, audited and re-verified later.
/// </summary>
public static class RequestFormat
{
    /// <summary>Largest request accepted, in bytes (a real one is about 200).</summary>
    public const int MaxBytes = 4096;

    /// <summary>Parses canonical request text; throws <see cref="RequestFormatException"/> naming the line and field.</summary>
    public static BuildRequest Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            throw new RequestFormatException("the request is empty", null, null);
        }
        if (utf8.Length > MaxBytes)
        {
            throw new RequestFormatException($"the request is {utf8.Length} bytes; at most {MaxBytes} are allowed", null, null);
        }
        if (!Utf8.IsValid(utf8))
        {
            throw new RequestFormatException("the request is not valid UTF-8", null, null);
        }
        return new RequestParser(Encoding.UTF8.GetString(utf8)).Parse();
    }

    /// <summary>
    /// The canonical text of <paramref name="request"/>. <see cref="BuildRequest.Issued"/> is written in UTC with whole
    /// seconds (a fraction is dropped), so <c>Parse(Serialize(r)) == r</c> for every valid request with whole seconds.
    /// Throws <see cref="ArgumentException"/> naming the field when a value breaks its rule.
    /// </summary>
    public static string Serialize(BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sb = new StringBuilder(256);
        Append(sb, RequestFields.Magic, RequestFields.Version);
        Append(sb, RequestFields.Action, RequestFields.ActionName(request.Action));
        AppendChecked(sb, RequestFields.Pocket, request.Pocket);
        switch (request.Action)
        {
            case RequestAction.Submit:
                Require(request.BuildId is null, RequestFields.Build, "a submit request has no build id");
                AppendChecked(sb, RequestFields.Package, request.Package);
                if (request.Commit is not null)
                {
                    AppendChecked(sb, RequestFields.Commit, request.Commit);
                }
                break;
            case RequestAction.Cancel:
                Require(request.Package is null, RequestFields.Package, "a cancel request names no package");
                Require(request.Commit is null, RequestFields.Commit, "a cancel request names no commit");
                Require(request.BuildId is > 0, RequestFields.Build, "a cancel request needs a positive build id");
                Append(sb, RequestFields.Build, request.BuildId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Action, "unknown action");
        }
        AppendChecked(sb, RequestFields.Requester, request.Requester);
        AppendChecked(sb, RequestFields.Nonce, request.Nonce);
        Append(sb, RequestFields.Issued, RequestFields.FormatIssued(request.Issued));
        return sb.ToString();
    }

    /// <summary>A fresh nonce: 16 random bytes as 32 lowercase hex digits.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static void AppendChecked(StringBuilder sb, string field, string? value)
    {
        Require(value is not null, field, $"field '{field}' is required");
        var problem = RequestFields.Problem(field, value!);
        Require(problem is null, field, $"field '{field}': {problem}");
        Append(sb, field, value!);
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message, field);
        }
    }

    private static void Append(StringBuilder sb, string field, string value) => sb.Append(field).Append(' ').Append(value).Append('\n');
}
