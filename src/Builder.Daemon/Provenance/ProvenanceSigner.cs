using System.Security.Cryptography;
using Builder.Audit.Mail;
using Builder.Core.Provenance;
using Microsoft.Extensions.Logging;

namespace Builder.Daemon.Provenance;

/// <summary>
/// Signs a build's provenance statement with the audit signing key (Audit:SigningCertificateFile / Audit:SigningKeyFile,
/// loaded once by <see cref="AuditMessageSigner"/>): one key for the audit mail and the provenance, so an auditor trusts
/// one certificate for both. The envelope is verified against the certificate before it is returned, so what is stored
/// and served is exactly what <c>builder provenance verify</c> and the README's openssl recipe accept.
/// </summary>
internal sealed partial class ProvenanceSigner(AuditMessageSigner signer, ILogger<ProvenanceSigner> logger)
{
    /// <exception cref="ArgumentException">the facts are invalid (named in the message).</exception>
    /// <exception cref="ProvenanceException">the key is neither RSA nor ECDSA, or does not match its certificate.</exception>
    public SignedProvenance Sign(ProvenanceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var statement = ProvenanceStatement.ToJson(facts);
        var certificate = signer.Certificate;
        var envelope = DsseEnvelope.Sign(ProvenanceTypes.InTotoPayload, statement, certificate);
        DsseEnvelope.Verify(envelope, certificate);
        var sha256 = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(envelope));
        Log.Signed(logger, facts.BuildId, facts.Attempt, facts.Subjects.Count, sha256);
        return new SignedProvenance(envelope, sha256);
    }

    private static partial class Log
    {
        [LoggerMessage(3101, LogLevel.Information, "Provenance of build {BuildId} attempt {Attempt} signed: {Subjects} subjects, envelope {Sha256}")]
        public static partial void Signed(ILogger logger, long buildId, int attempt, int subjects, string sha256);
    }
}
