using System.Security.Cryptography.X509Certificates;
using Builder.Audit.Options;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace Builder.Audit.Mail;

/// <summary>
/// S/MIME-signs audit mail (multipart/signed, detached, SHA-256) with the configured certificate and key, so
/// <c>openssl smime -verify</c> and <c>builder audit verify --cert</c> accept it and any change to the record breaks it.
/// </summary>
public sealed class AuditMessageSigner : IDisposable
{
    private readonly Lazy<X509Certificate2> _certificate;

    // Converting the key for BouncyCastle costs far more than a signature: done once, not per mail.
    private readonly Lazy<CmsSigner> _signer;

    public AuditMessageSigner(IOptions<AuditOptions> options)
    {
        // PublicationOnly: a failed load is not cached, so fixing the key file takes effect without a restart.
        _certificate = new(() => X509Certificate2.CreateFromPemFile(options.Value.SigningCertificateFile, options.Value.SigningKeyFile),
            LazyThreadSafetyMode.PublicationOnly);
        _signer = new(() => new CmsSigner(_certificate.Value) { DigestAlgorithm = DigestAlgorithm.Sha256 }, LazyThreadSafetyMode.PublicationOnly);
    }

    public X509Certificate2 Certificate => _certificate.Value;

    public async Task<MultipartSigned> SignAsync(MimeEntity entity, CancellationToken cancellationToken)
    {
        // An in-memory context: the signer is given explicitly, nothing is looked up or stored on disk.
        using var context = new TemporarySecureMimeContext();
        return await MultipartSigned.CreateAsync(context, _signer.Value, entity, cancellationToken);
    }

    public void Dispose()
    {
        if (_certificate.IsValueCreated)
        {
            _certificate.Value.Dispose();
        }
    }
}
