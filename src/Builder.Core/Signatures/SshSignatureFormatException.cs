namespace Builder.Core.Signatures;

/// <summary>An armored SSHSIG that is not exactly well-formed, too large, or uses an unsupported algorithm.</summary>
internal sealed class SshSignatureFormatException : FormatException
{
    public SshSignatureFormatException()
    {
    }

    public SshSignatureFormatException(string message)
        : base(message)
    {
    }

    public SshSignatureFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
