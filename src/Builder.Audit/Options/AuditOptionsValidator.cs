using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Builder.Core.Options;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Builder.Audit.Options;

/// <summary>Checks the whole Audit section at start-up and reports every problem at once, each naming its key.</summary>
internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var errors = new OptionsErrors();
        if (string.IsNullOrWhiteSpace(options.Smtp.Host))
        {
            errors.Add("Audit:Smtp:Host is required (the off-site SMTP server)");
        }
        if (options.Smtp.Port is < 1 or > 65535)
        {
            errors.Add($"Audit:Smtp:Port must be 1-65535, not {options.Smtp.Port}");
        }
        if (options.Smtp.Timeout <= TimeSpan.Zero)
        {
            errors.Add("Audit:Smtp:Timeout must be positive");
        }
        CheckFile(errors, "Audit:Smtp:CredentialsFile", options.Smtp.CredentialsFile, required: false);
        CheckFile(errors, "Audit:Smtp:TrustedCaFile", options.Smtp.TrustedCaFile, required: false);
        CheckAddress(errors, "Audit:From", options.From);
        if (options.To.Count == 0)
        {
            errors.Add("Audit:To needs at least one off-site address");
        }
        for (var i = 0; i < options.To.Count; i++)
        {
            CheckAddress(errors, $"Audit:To:{i}", options.To[i]);
        }
        if (options.AlertTo.Count == 0)
        {
            errors.Add("Audit:AlertTo needs at least one address (who hears about held builds)");
        }
        for (var i = 0; i < options.AlertTo.Count; i++)
        {
            CheckAddress(errors, $"Audit:AlertTo:{i}", options.AlertTo[i]);
        }
        CheckFile(errors, "Audit:SigningCertificateFile", options.SigningCertificateFile, required: true);
        CheckFile(errors, "Audit:SigningKeyFile", options.SigningKeyFile, required: true);
        if (File.Exists(options.SigningCertificateFile) && File.Exists(options.SigningKeyFile))
        {
            CheckSigningPair(errors, options);
        }
        if (options.RetryBase <= TimeSpan.Zero)
        {
            errors.Add("Audit:RetryBase must be positive");
        }
        if (options.RetryCap < options.RetryBase)
        {
            errors.Add("Audit:RetryCap must be at least Audit:RetryBase");
        }
        if (options.RetryJitter < TimeSpan.Zero)
        {
            errors.Add("Audit:RetryJitter must not be negative");
        }
        errors.InRange("Audit:CheckpointInterval", options.CheckpointInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckSigningPair(OptionsErrors errors, AuditOptions options)
    {
        try
        {
            using var pair = X509Certificate2.CreateFromPemFile(options.SigningCertificateFile, options.SigningKeyFile);
            if (!pair.HasPrivateKey)
            {
                errors.Add("Audit:SigningKeyFile holds no private key for Audit:SigningCertificateFile");
            }
            // The key also signs provenance envelopes (DSSE), checked with openssl dgst: RSA or ECDSA only. Refused at
            // start rather than at a build's publish.
            using var rsa = pair.GetRSAPublicKey();
            using var ecdsa = rsa is null ? pair.GetECDsaPublicKey() : null;
            if (rsa is null && ecdsa is null)
            {
                errors.Add($"Audit:SigningKeyFile: a {pair.PublicKey.Oid.FriendlyName ?? pair.PublicKey.Oid.Value} key cannot sign provenance; use an RSA or ECDSA key");
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The message says what is wrong with the files; it never contains key material.
            errors.Add($"Audit:SigningCertificateFile/Audit:SigningKeyFile: not a PEM certificate and its matching key: {e.Message}");
        }
    }

    private static void CheckAddress(OptionsErrors errors, string key, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{key} is required");
        }
        else if (!MailboxAddress.TryParse(value, out var address) || !address.Address.Contains('@', StringComparison.Ordinal))
        {
            errors.Add($"{key}: '{value}' is not a mail address");
        }
    }

    private static void CheckFile(OptionsErrors errors, string key, string? path, bool required)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            if (required)
            {
                errors.Add($"{key} is required");
            }
        }
        else if (!File.Exists(path))
        {
            errors.Add($"{key}: file '{path}' does not exist");
        }
    }
}
