namespace Builder.Core.Provenance;

/// <summary>
/// Standard base64 exactly as <see cref="Convert.ToBase64String(byte[])"/> writes it: padded, no whitespace, no
/// URL-safe alphabet, zero pad bits. One encoding per byte string, so a signed value has one form.
/// </summary>
internal static class StrictBase64
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

    public static bool TryDecode(string text, int maxBytes, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 != 0 || text.Length / 4 * 3 > maxBytes + 2 || text.AsSpan().ContainsAnyExcept(Alphabet))
        {
            return false;
        }
        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written > maxBytes)
        {
            return false;
        }
        bytes = buffer.AsSpan(0, written).ToArray();
        return string.Equals(Convert.ToBase64String(bytes), text, StringComparison.Ordinal);
    }
}
