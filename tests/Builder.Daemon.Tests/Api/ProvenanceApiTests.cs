using System.Security.Cryptography;
using Builder.Core.Provenance;
using Builder.Daemon.Tests.Support;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Provenance;

namespace Builder.Daemon.Tests.Api;

[Trait(Categories.Name, Categories.Integration)]
public sealed class ProvenanceApiTests(DaemonHost host) : IClassFixture<DaemonHost>
{
    private async Task<long> SubmitAsync()
    {
        var (status, body) = await host.PostAsync(DaemonHost.Submit("alice", package: "other"), host.Alice);
        Assert.Equal(201, status);
        return body.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task A_builds_envelope_is_served_byte_for_byte_as_a_dsse_envelope()
    {
        var id = await SubmitAsync();
        // Not JSON on purpose: the endpoint serves the stored bytes and never re-encodes them.
        byte[] envelope = [.. "{\"payloadType\":\"application/vnd.in-toto+json\"}\n"u8, 0xff];
        await InsertAsync(id, envelope);

        using var response = await host.Http.GetAsync($"api/v1/builds/{id}/provenance");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/vnd.dsse.envelope.v1+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(envelope, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_served_signed_envelope_verifies_with_the_certificate_and_names_its_subjects()
    {
        var id = await SubmitAsync();
        using var identity = ProvenanceSamples.Identity(ecdsa: true);
        var facts = ProvenanceSamples.Facts(("other_1.0-1_amd64.deb", "deb"u8.ToArray())) with { BuildId = id };
        var envelope = DsseEnvelope.Sign(ProvenanceTypes.InTotoPayload, ProvenanceStatement.ToJson(facts), identity);
        await InsertAsync(id, envelope);

        var served = await host.Http.GetByteArrayAsync($"api/v1/builds/{id}/provenance");

        using var certificate = ProvenanceSamples.PublicOnly(identity);
        var check = ProvenanceSubjects.Check(DsseEnvelope.Verify(served, certificate), [new ProvenanceFile("other_1.0-1_amd64.deb", ProvenanceSamples.Sha256("deb"u8.ToArray()))]);
        Assert.True(check.Ok, string.Join("; ", check.Errors));
    }

    private async Task InsertAsync(long id, byte[] envelope)
    {
        await using var conn = await host.Database.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await ProvenanceRepository.InsertAsync(conn, tx, id, 1, envelope, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(envelope)), CancellationToken.None);
        await tx.CommitAsync();
    }

    [Fact]
    public async Task A_build_without_provenance_is_404_no_provenance()
    {
        var id = await SubmitAsync();

        var (status, body) = await host.GetAsync($"api/v1/builds/{id}/provenance");

        Assert.Equal(404, status);
        Assert.Equal("no-provenance", body.GetProperty("error").GetString());
        Assert.StartsWith($"build {id} has no provenance", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_build_is_404_unknown_build()
    {
        var (status, body) = await host.GetAsync("api/v1/builds/424242424/provenance");

        Assert.Equal(404, status);
        Assert.Equal("unknown-build", body.GetProperty("error").GetString());
    }
}
