namespace Builder.Core.Signatures;

/// <summary>The armor of PROTOCOL.sshsig: header line, base64 lines, footer line.</summary>
internal static class SshSignatureArmor
{
    public const string Begin = "-----BEGIN SSH SIGNATURE-----";
    public const string End = "-----END SSH SIGNATURE-----";

    /// <summary>
    /// The decoded blob. Surrounding whitespace and CRLF line ends are tolerated (mail and JSON clients add them);
    /// anything else between the header and the footer must be base64.
    /// </summary>
    public static byte[] Decode(string armored)
    {
        var lines = armored.Trim().Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }
        if (lines[0] != Begin)
        {
            throw new SshSignatureFormatException($"the signature does not start with '{Begin}'");
        }
        if (lines.Length < 3 || lines[^1] != End)
        {
            throw new SshSignatureFormatException($"the signature does not end with '{End}'");
        }
        var base64 = new char[armored.Length];
        var length = 0;
        for (var i = 1; i < lines.Length - 1; i++)
        {
            foreach (var c in lines[i])
            {
                if (!IsBase64Char(c))
                {
                    throw new SshSignatureFormatException($"line {i + 1} of the signature is not base64");
                }
                base64[length++] = c;
            }
        }
        var blob = new byte[(length * 3 / 4) + 3];
        if (length == 0 || !Convert.TryFromBase64Chars(base64.AsSpan(0, length), blob, out var written))
        {
            throw new SshSignatureFormatException("the signature's base64 does not decode");
        }
        return blob[..written];
    }

    private static bool IsBase64Char(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '=';
}
