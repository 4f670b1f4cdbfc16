using System.Security.Cryptography.X509Certificates;
using Builder.Core.Provenance;
using Builder.Tests.Common;
using Builder.Tests.Common.Provenance;

namespace Builder.Cli.Tests.Provenance;

/// <summary>`builder provenance verify` on envelopes signed as the daemon signs them, and on packages changed or foreign.</summary>
public sealed class ProvenanceVerifyCommandTests : IDisposable
{
    private static readonly byte[] DebContent = "!<arch>\ndebian-binary hello"u8.ToArray();
    private static readonly byte[] DscContent = "Format: 3.0 (quilt)\nSource: hello\n"u8.ToArray();

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("provenance-cli-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private string Write(string name, byte[] content)
    {
        File.WriteAllBytes(PathOf(name), content);
        return PathOf(name);
    }

    /// <summary>An envelope over a statement whose subjects are the deb and the dsc, signed by a new identity; returns its certificate file.</summary>
    private (string Envelope, string Cert) Signed(bool ecdsa = false, string name = "audit")
    {
        var (certFile, keyFile) = ecdsa ? TestCertificates.WriteEcSigningPair(_dir.FullName, name) : TestCertificates.WriteSigningPair(_dir.FullName, name);
        using var identity = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        var statement = ProvenanceStatement.ToJson(ProvenanceSamples.Facts(("hello_2.10-3_amd64.deb", DebContent), ("hello_2.10-3.dsc", DscContent)));
        return (Write($"{name}.provenance.json", DsseEnvelope.Sign(ProvenanceTypes.InTotoPayload, statement, identity)), certFile);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_valid_envelope_and_its_subjects_verify_and_the_subjects_are_printed(bool ecdsa)
    {
        var (envelope, cert) = Signed(ecdsa);

        var (code, output, error) = await CliRunner.RunAsync("provenance", "verify", envelope, "--cert", cert,
            Write("hello_2.10-3_amd64.deb", DebContent), Write("hello_2.10-3.dsc", DscContent));

        Assert.True(code == 0, output + error);
        Assert.Equal(
            [
                $"signed by sha256 fingerprint {DsseEnvelope.KeyId(X509Certificate2.CreateFromPem(File.ReadAllText(cert)))}",
                $"subject hello_2.10-3_amd64.deb sha256 {ProvenanceSamples.Sha256(DebContent)}",
                $"subject hello_2.10-3.dsc sha256 {ProvenanceSamples.Sha256(DscContent)}",
                "verified (2 file(s) match)",
            ],
            output.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Without_files_only_the_signature_is_checked_and_the_output_says_so()
    {
        var (envelope, cert) = Signed();

        var (code, output, _) = await CliRunner.RunAsync("provenance", "verify", envelope, "--cert", cert);

        Assert.Equal(0, code);
        Assert.EndsWith("verified (signature only: no files given)\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_deb_fails_naming_both_digests()
    {
        var (envelope, cert) = Signed();
        byte[] changed = [.. DebContent, (byte)'!'];

        var (code, output, error) = await CliRunner.RunAsync("provenance", "verify", envelope, "--cert", cert, Write("hello_2.10-3_amd64.deb", changed));

        Assert.True(code == (int)ExitCode.ProvenanceNotSubject, output + error);
        Assert.Contains($"\nhello_2.10-3_amd64.deb: sha256 {ProvenanceSamples.Sha256(changed)} is not the subject's {ProvenanceSamples.Sha256(DebContent)}\n", output,
            StringComparison.Ordinal);
        Assert.EndsWith("NOT VERIFIED: 1 of 1 file(s) do not match the subjects\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deb_that_is_not_a_subject_fails_even_beside_matching_ones()
    {
        var (envelope, cert) = Signed();

        var (code, output, error) = await CliRunner.RunAsync("provenance", "verify", envelope, "--cert", cert,
            Write("hello_2.10-3_amd64.deb", DebContent), Write("evil_1.0_amd64.deb", DebContent));

        Assert.True(code == (int)ExitCode.ProvenanceNotSubject, output + error);
        Assert.Contains("\nevil_1.0_amd64.deb is not a subject\n", output, StringComparison.Ordinal);
        Assert.EndsWith("NOT VERIFIED: 1 of 2 file(s) do not match the subjects\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_envelope_signed_by_another_key_fails(bool ecdsa)
    {
        var (envelope, _) = Signed(ecdsa, "intruder");
        var (_, cert) = Signed(name: "audit");

        var (code, output, error) = await CliRunner.RunAsync("provenance", "verify", envelope, "--cert", cert, Write("hello_2.10-3_amd64.deb", DebContent));

        Assert.True(code == (int)ExitCode.ProvenanceInvalid, output + error);
        Assert.StartsWith("envelope: no signature verifies with the certificate (sha256 fingerprint ", output, StringComparison.Ordinal);
        Assert.EndsWith("\nNOT VERIFIED\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("subject ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_envelope_fails_with_its_reason()
    {
        var (_, cert) = Signed();

        var (code, output, _) = await CliRunner.RunAsync("provenance", "verify", Write("bad.json", "{\"payloadType\":\"text/plain\"}"u8.ToArray()), "--cert", cert);

        Assert.Equal((int)ExitCode.ProvenanceInvalid, code);
        Assert.Equal("envelope: payloadType 'text/plain' is not 'application/vnd.in-toto+json'\nNOT VERIFIED\n", output);
    }

    [Fact]
    public async Task An_envelope_over_the_limit_is_refused_without_reading_it_whole()
    {
        var (_, cert) = Signed();
        var big = PathOf("big.json");
        using (var stream = File.Create(big))
        {
            stream.SetLength(DsseEnvelope.MaxEnvelopeBytes + 4096);
        }

        var (code, output, _) = await CliRunner.RunAsync("provenance", "verify", big, "--cert", cert);

        Assert.Equal((int)ExitCode.ProvenanceInvalid, code);
        Assert.StartsWith($"envelope: {DsseEnvelope.MaxEnvelopeBytes + 1} bytes exceed the limit of {DsseEnvelope.MaxEnvelopeBytes}\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("envelope")]
    [InlineData("cert")]
    [InlineData("file")]
    public async Task A_missing_envelope_certificate_or_file_is_unreadable(string missing)
    {
        var (envelope, cert) = Signed();
        var deb = Write("hello_2.10-3_amd64.deb", DebContent);
        var absent = PathOf("absent");

        var (code, _, error) = await CliRunner.RunAsync("provenance", "verify", missing == "envelope" ? absent : envelope,
            "--cert", missing == "cert" ? absent : cert, missing == "file" ? absent : deb);

        Assert.Equal((int)ExitCode.ProvenanceUnreadable, code);
        Assert.StartsWith($"provenance verify: unreadable: {(missing == "cert" ? "--cert " : "")}{absent}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_file_that_holds_no_certificate_is_unreadable()
    {
        var (envelope, _) = Signed();

        var (code, _, error) = await CliRunner.RunAsync("provenance", "verify", envelope, "--cert", Write("junk.pem", "not a certificate"u8.ToArray()));

        Assert.Equal((int)ExitCode.ProvenanceUnreadable, code);
        Assert.StartsWith($"provenance verify: unreadable: --cert {PathOf("junk.pem")}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_cert_it_is_a_usage_error()
    {
        var (envelope, _) = Signed();

        var (code, _, error) = await CliRunner.RunAsync("provenance", "verify", envelope);

        Assert.Equal((int)ExitCode.Usage, code);
        Assert.Contains("--cert", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_the_check_and_its_exit_codes()
    {
        var (code, output, _) = await CliRunner.RunAsync("provenance", "verify", "--help");

        Assert.Equal(0, code);
        Assert.Contains("Exit codes: 0 verified, 40 signature or envelope bad, 41 a file is not a subject with its sha256, 42 unreadable.", output, StringComparison.Ordinal);
        Assert.Contains("--cert", output, StringComparison.Ordinal);
    }
}
