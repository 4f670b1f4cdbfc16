using Builder.Audit.Options;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;

namespace Builder.Audit.Tests.Options;

public sealed class AuditOptionsValidatorTests
{
    [Fact]
    public void An_empty_section_reports_every_missing_key_at_once()
    {
        var result = new AuditOptionsValidator().Validate(null, new AuditOptions());
        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Audit:Smtp:Host is required (the off-site SMTP server)",
                "Audit:From is required",
                "Audit:To needs at least one off-site address",
                "Audit:AlertTo needs at least one address (who hears about held builds)",
                "Audit:SigningCertificateFile is required",
                "Audit:SigningKeyFile is required",
            ],
            result.Failures);
    }

    [Fact]
    public void Bad_values_are_named_by_their_key()
    {
        var options = new AuditOptions
        {
            Smtp = new AuditSmtpOptions { Host = "smtp.example.org", Port = 70000, CredentialsFile = "/nonexistent/creds" },
            From = "builder@example.org",
            SigningCertificateFile = "/nonexistent/cert.pem",
            SigningKeyFile = "/nonexistent/key.pem",
            RetryBase = TimeSpan.FromMinutes(5),
            RetryCap = TimeSpan.FromMinutes(1),
        };
        options.To.Add("audit@offsite.example");
        options.To.Add("not an address");
        options.AlertTo.Add("admin@example.org");
        var failures = new AuditOptionsValidator().Validate(null, options).Failures!;
        Assert.Contains("Audit:Smtp:Port must be 1-65535, not 70000", failures);
        Assert.Contains("Audit:Smtp:CredentialsFile: file '/nonexistent/creds' does not exist", failures);
        Assert.Contains("Audit:To:1: 'not an address' is not a mail address", failures);
        Assert.Contains("Audit:SigningCertificateFile: file '/nonexistent/cert.pem' does not exist", failures);
        Assert.Contains("Audit:RetryCap must be at least Audit:RetryBase", failures);
        Assert.DoesNotContain(failures, f => f.StartsWith("Audit:To:0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signing_key_that_does_not_belong_to_the_certificate_is_refused_at_start()
    {
        var dir = TestEnvironment.NewTempDirectory("audit-options");
        var one = await SigningCertificate.CreateAsync(dir, "one");
        var two = await SigningCertificate.CreateAsync(dir, "two");
        var options = new AuditOptions
        {
            Smtp = new AuditSmtpOptions { Host = "smtp.example.org" },
            From = "builder@example.org",
            SigningCertificateFile = one.CertificateFile,
            SigningKeyFile = two.KeyFile,
        };
        options.To.Add("audit@offsite.example");
        options.AlertTo.Add("admin@example.org");
        var failure = Assert.Single(new AuditOptionsValidator().Validate(null, options).Failures!);
        Assert.StartsWith("Audit:SigningCertificateFile/Audit:SigningKeyFile: not a PEM certificate and its matching key: ", failure, StringComparison.Ordinal);

        options.SigningKeyFile = one.KeyFile;
        Assert.True(new AuditOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("rsa:2048", null)]
    [InlineData("ec", null)]
    [InlineData("dsa", "Audit:SigningKeyFile: a DSA key cannot sign provenance; use an RSA or ECDSA key")]
    public async Task Only_rsa_and_ecdsa_signing_keys_are_accepted_since_they_also_sign_provenance(string keyType, string? failure)
    {
        var dir = TestEnvironment.NewTempDirectory("audit-options-keytype");
        var (cert, key) = (Path.Combine(dir, "c.pem"), Path.Combine(dir, "k.pem"));
        if (keyType == "dsa")
        {
            await TestProcess.CheckAsync("openssl", ["genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:2048", "-out", Path.Combine(dir, "dsa.param")]);
        }
        var newKey = keyType switch
        {
            "ec" => ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
            "dsa" => new[] { "-newkey", "dsa:" + Path.Combine(dir, "dsa.param") },
            _ => ["-newkey", keyType],
        };
        await TestProcess.CheckAsync("openssl", ["req", "-x509", .. newKey, "-nodes", "-days", "2", "-subj", "/CN=builder audit", "-keyout", key, "-out", cert]);
        var options = new AuditOptions
        {
            Smtp = new AuditSmtpOptions { Host = "smtp.example.org" }, From = "builder@example.org", SigningCertificateFile = cert, SigningKeyFile = key,
        };
        options.To.Add("audit@offsite.example");
        options.AlertTo.Add("admin@example.org");

        var result = new AuditOptionsValidator().Validate(null, options);

        Assert.Equal(failure is null ? [] : [failure], result.Failures ?? []);
    }

    [Theory]
    [InlineData("00:00:59")]
    [InlineData("1.00:00:01")]
    [InlineData("00:00:00")]
    public void A_checkpoint_interval_outside_a_minute_to_a_day_is_named_by_its_key(string interval)
    {
        var failures = new AuditOptionsValidator().Validate(null, new AuditOptions { CheckpointInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) }).Failures!;
        Assert.Contains($"Audit:CheckpointInterval must be from 00:01:00 to 1.00:00:00 (is {TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)})", failures);
    }

    [Fact]
    public void The_checkpoint_interval_defaults_to_an_hour_and_is_valid()
    {
        var failures = new AuditOptionsValidator().Validate(null, new AuditOptions()).Failures!;
        Assert.Equal(TimeSpan.FromHours(1), new AuditOptions().CheckpointInterval);
        Assert.DoesNotContain(failures, f => f.StartsWith("Audit:CheckpointInterval", StringComparison.Ordinal));
    }
}
