namespace Builder.Core.Signatures;

/// <summary>SSH key and signature algorithm names this verifier supports.</summary>
internal static class SshKeyAlgorithms
{
    public const string Ed25519 = "ssh-ed25519";
    public const string EcdsaP256 = "ecdsa-sha2-nistp256";
    public const string EcdsaP384 = "ecdsa-sha2-nistp384";
    public const string EcdsaP521 = "ecdsa-sha2-nistp521";
    public const string Rsa = "ssh-rsa";
    public const string RsaSha256 = "rsa-sha2-256";
    public const string RsaSha512 = "rsa-sha2-512";

    public const string Supported = "ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa";

    /// <summary>Largest key blob accepted: a 16384-bit RSA key (OpenSSH's own maximum) is about 2.1 KiB.</summary>
    public const int MaxKeyBlob = 4096;

    /// <summary>Largest signature blob accepted (16384-bit RSA signature plus its name).</summary>
    public const int MaxSignatureBlob = 4096;

    public const int MaxNameLength = 64;
}
