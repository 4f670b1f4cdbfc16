using System.Text.Json;
using System.Text.Json.Nodes;
using Builder.Core.Provenance;
using Builder.Core.Tests.Requests;
using Builder.Tests.Common;
using Builder.Tests.Common.Provenance;

namespace Builder.Core.Tests.Provenance;

/// <summary>The README's recipe for checking an envelope with openssl alone, run as written on envelopes this code signed.</summary>
public sealed class ProvenanceOpensslRecipeTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("provenance-openssl-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Recipe() => Assert.Single(Readme.CodeBlocks("## Provenance"), b => b.Contains("openssl dgst", StringComparison.Ordinal));

    private async Task<TestProcess.Result> RunRecipeAsync(byte[] envelope, string certificatePem)
    {
        await File.WriteAllBytesAsync(Path.Combine(_dir.FullName, "provenance.json"), envelope);
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "audit.pem"), certificatePem);
        return await TestProcess.RunAsync("bash", ["-euo", "pipefail", "-c", Recipe()], workingDirectory: _dir.FullName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Openssl_verifies_an_envelope_signed_with_an_rsa_or_ecdsa_audit_key(bool ecdsa)
    {
        using var identity = ProvenanceSamples.Identity(ecdsa);
        var statement = ProvenanceStatement.ToJson(ProvenanceSamples.Facts());

        var result = await RunRecipeAsync(DsseEnvelope.Sign(ProvenanceTypes.InTotoPayload, statement, identity), identity.ExportCertificatePem());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Verified OK", result.Output.Trim());
        Assert.Equal(statement, await File.ReadAllBytesAsync(Path.Combine(_dir.FullName, "payload.json")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Openssl_refuses_a_changed_statement_under_the_original_signature(bool ecdsa)
    {
        using var identity = ProvenanceSamples.Identity(ecdsa);
        var envelope = JsonNode.Parse(DsseEnvelope.Sign(ProvenanceTypes.InTotoPayload, ProvenanceStatement.ToJson(ProvenanceSamples.Facts()), identity))!;
        var changed = ProvenanceStatement.ToJson(ProvenanceSamples.Facts() with { Host = "elsewhere.example.org" });
        envelope["payload"] = Convert.ToBase64String(changed);

        var result = await RunRecipeAsync(JsonSerializer.SerializeToUtf8Bytes(envelope), identity.ExportCertificatePem());

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("Verification failure", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_refuses_an_envelope_signed_by_another_key()
    {
        using var identity = ProvenanceSamples.Identity();
        using var other = ProvenanceSamples.Identity(name: "other");

        var result = await RunRecipeAsync(DsseEnvelope.Sign(ProvenanceTypes.InTotoPayload, ProvenanceStatement.ToJson(ProvenanceSamples.Facts()), other),
            identity.ExportCertificatePem());

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("Verification failure", result.Output + result.Error, StringComparison.Ordinal);
    }
}
