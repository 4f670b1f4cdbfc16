using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Builder.Audit.Mail;
using Builder.Core.Audit;
using MimeKit;
using MimeKit.Cryptography;

namespace Builder.Audit.Verify;

/// <summary>
/// <c>builder audit verify</c> as a library: reads every audit mail of a Maildir or mbox, checks its S/MIME
/// signature (against the given certificate), parses the record strictly, and lets <see cref="AuditChainVerifier"/>
/// judge the chain; optionally compares with the server's list. Trusts only the signed record, never headers.
/// </summary>
public sealed class AuditVerifier(HttpClient? http = null, TimeProvider? time = null)
{
    public async Task<AuditVerification> VerifyAsync(string mailbox, AuditVerifyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        byte[]? expected = null;
        if (options.CertificateFile is { } certFile)
        {
            try
            {
                using var cert = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certFile, cancellationToken));
                expected = cert.RawData;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                throw new AuditMailboxException($"--cert {certFile}: not a readable PEM certificate: {e.Message}", e);
            }
        }
        IReadOnlyList<AuditServerRecord>? server = null;
        if (options.Against is { } url)
        {
            server = await new AuditServerClient(http ?? SharedHttp).FetchAsync(url, options.FromSeq, cancellationToken);
        }

        var observations = new List<AuditObservation>();
        var read = 0;
        byte[]? signer = expected;
        foreach (var entry in MailboxReader.Read(mailbox, cancellationToken))
        {
            read++;
            if (entry.Message is null)
            {
                observations.Add(new AuditObservation(entry.Source, null, null, null, null, entry.Problem, null, null));
                continue;
            }
            if (!IsAuditMail(entry.Message))
            {
                continue;
            }
            var observation = await ObserveAsync(entry.Source, entry.Message, signer, cancellationToken);
            signer ??= observation.Signer;
            observations.Add(observation.Observation);
        }
        var freshness = options.MaxAge is { } maxAge ? new AuditFreshness(maxAge, (time ?? TimeProvider.System).GetUtcNow()) : null;
        var report = AuditChainVerifier.Verify(observations, options.FromSeq, server, freshness);
        return new AuditVerification(report, read, observations.Count, signer is null ? null : Convert.ToHexStringLower(SHA256.HashData(signer)));
    }

    /// <summary>Any one of the marks is enough, so damage to one header does not hide a record.</summary>
    private static bool IsAuditMail(MimeMessage message) =>
        message.Headers[AuditHeaders.Marker] is not null || message.Headers[AuditHeaders.Seq] is not null ||
        (message.Subject?.StartsWith(AuditMailComposer.SubjectPrefix, StringComparison.Ordinal) ?? false);

    private static async Task<(AuditObservation Observation, byte[]? Signer)> ObserveAsync(string source, MimeMessage message, byte[]? expectedSigner,
        CancellationToken cancellationToken)
    {
        long? seqHint = long.TryParse(message.Headers[AuditHeaders.Seq], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
        var announced = message.Headers[AuditHeaders.Hash];
        if (message.Body is not MultipartSigned signed || signed.Count != 2 || signed[0] is not TextPart part || part.Content is null)
        {
            return (new AuditObservation(source, seqHint, null, null, announced, "not an S/MIME multipart/signed mail with the record as its first part", null, message.MessageId), null);
        }
        using var content = new MemoryStream();
        await part.Content.DecodeToAsync(content, cancellationToken);
        var bytes = content.ToArray();
        if (!AuditRecordFormat.TryParse(bytes, out var record, out var error))
        {
            return (new AuditObservation(source, seqHint, null, null, announced, error, null, message.MessageId), null);
        }
        var (signatureError, signer) = await CheckSignatureAsync(signed, expectedSigner, cancellationToken);
        return (new AuditObservation(source, seqHint, record, AuditRecordFormat.Hash(bytes), announced, null, signatureError, message.MessageId), signer);
    }

    private static async Task<(string? Error, byte[]? Signer)> CheckSignatureAsync(MultipartSigned signed, byte[]? expectedSigner, CancellationToken cancellationToken)
    {
        try
        {
            if (signed[1] is not ApplicationPkcs7Signature { Content: { } signaturePart })
            {
                return ("the second part is not an application/pkcs7-signature", null);
            }
            // The signed bytes are the first part exactly as it travelled, in canonical CRLF form (RFC 8551 3.1.1);
            // MimeKit writes a parsed part back from its raw headers and raw encoded content.
            using var content = new MemoryStream();
            await signed[0].WriteToAsync(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, content, cancellationToken);
            using var signature = new MemoryStream();
            await signaturePart.DecodeToAsync(signature, cancellationToken);
            // Verified with the platform's CMS (OpenSSL underneath), signature only: the trust decision is the
            // comparison with the configured certificate below, not a chain to some CA.
            var cms = new SignedCms(new ContentInfo(content.ToArray()), detached: true);
            cms.Decode(signature.ToArray());
            if (cms.SignerInfos.Count != 1)
            {
                return ($"expected one signature, found {cms.SignerInfos.Count}", null);
            }
            var signer = cms.SignerInfos[0];
            if (signer.Certificate is not { } certificate)
            {
                return ("the signature carries no signer certificate", null);
            }
            signer.CheckSignature(verifySignatureOnly: true);
            var der = certificate.RawData;
            if (expectedSigner is not null && !der.AsSpan().SequenceEqual(expectedSigner))
            {
                return ($"signed by '{certificate.Subject}', not by the expected certificate", der);
            }
            return (null, der);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Hostile input reaches the CMS/ASN.1 parsers here; whatever they throw is a bad signature, never a crash.
            return (e.Message, null);
        }
    }

    private static readonly HttpClient SharedHttp = new() { Timeout = TimeSpan.FromSeconds(60), MaxResponseContentBufferSize = AuditServerClient.MaxResponseBytes };
}
