using System.Security.Cryptography;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using Dapper;
using Npgsql;

namespace Builder.Store.Tests.Builds;

[Trait(Categories.Name, Categories.Integration)]
public sealed class ProvenanceRepositoryTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private readonly BuildRepository _builds = new(db.DataSource);
    private readonly ProvenanceRepository _provenance = new(db.DataSource);

    private static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<long> BuildAsync() => (await AuditingBuilds.SubmitAsync(_builds, "prov-" + Guid.NewGuid().ToString("N")[..8])).Id;

    private async Task InsertAsync(long build, int attempt, byte[] envelope, string? sha256 = null)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await ProvenanceRepository.InsertAsync(conn, tx, build, attempt, envelope, sha256 ?? Sha256(envelope), CancellationToken.None);
        await tx.CommitAsync();
    }

    [Fact]
    public async Task The_latest_attempts_envelope_is_returned_byte_for_byte()
    {
        var build = await BuildAsync();
        byte[] first = [.. "{\"attempt\":1}"u8];
        byte[] second = [0x7b, 0x00, 0xff, 0x7d];

        await InsertAsync(build, 1, first);
        await InsertAsync(build, 2, second);
        var latest = await _provenance.LatestAsync(build, CancellationToken.None);

        Assert.NotNull(latest);
        Assert.Equal((build, 2, Sha256(second)), (latest.BuildId, latest.Attempt, latest.Sha256));
        Assert.Equal(second, latest.Envelope);
    }

    [Fact]
    public async Task A_build_without_provenance_has_none()
    {
        Assert.Null(await _provenance.LatestAsync(await BuildAsync(), CancellationToken.None));
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_no_envelope()
    {
        var build = await BuildAsync();
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await ProvenanceRepository.InsertAsync(conn, tx, build, 1, [1, 2, 3], Sha256([1, 2, 3]), CancellationToken.None);
            await tx.RollbackAsync();
        }

        Assert.Null(await _provenance.LatestAsync(build, CancellationToken.None));
    }

    [Fact]
    public async Task A_hash_that_is_not_the_envelopes_is_refused_before_anything_is_written()
    {
        var build = await BuildAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => InsertAsync(build, 1, [1, 2, 3], "sha256:" + new string('0', 64)));

        Assert.StartsWith($"provenance of build {build} attempt 1: sha256:{new string('0', 64)} is not the envelope's hash {Sha256([1, 2, 3])}", ex.Message, StringComparison.Ordinal);
        Assert.Null(await _provenance.LatestAsync(build, CancellationToken.None));
    }

    [Fact]
    public async Task An_attempt_gets_one_envelope()
    {
        var build = await BuildAsync();
        await InsertAsync(build, 1, [1]);

        var ex = await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(build, 1, [2]));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, ex.SqlState);
        Assert.Equal([1], (await _provenance.LatestAsync(build, CancellationToken.None))!.Envelope);
    }

    [Theory]
    [InlineData("UPDATE build_provenance SET envelope = '\\x00'::bytea WHERE build_id = @build", "changed")]
    [InlineData("UPDATE build_provenance SET sha256 = 'sha256:' || repeat('0', 64) WHERE build_id = @build", "changed")]
    [InlineData("DELETE FROM build_provenance WHERE build_id = @build", "deleted")]
    public async Task Issued_provenance_cannot_be_changed_or_deleted_even_by_raw_sql(string sql, string verb)
    {
        var build = await BuildAsync();
        await InsertAsync(build, 1, [1, 2, 3]);
        await using var conn = await db.DataSource.OpenConnectionAsync();

        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(sql, new { build }));

        Assert.Equal("build_provenance_immutable", ex.ConstraintName);
        Assert.Equal($"provenance of build {build} attempt 1 cannot be {verb}: issued provenance is final", ex.MessageText);
        Assert.Equal([1, 2, 3], (await _provenance.LatestAsync(build, CancellationToken.None))!.Envelope);
    }

    [Fact]
    public async Task The_table_cannot_be_truncated()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();

        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("TRUNCATE build_provenance"));

        Assert.Equal("build_provenance cannot be truncated: issued provenance is final", ex.MessageText);
    }

    [Theory]
    [InlineData("INSERT INTO build_provenance (build_id, attempt, envelope, sha256) VALUES (@build, 1, '\\x01'::bytea, 'sha256:ABC')")]
    [InlineData("INSERT INTO build_provenance (build_id, attempt, envelope, sha256) VALUES (@build, 0, '\\x01'::bytea, 'sha256:' || repeat('a', 64))")]
    [InlineData("INSERT INTO build_provenance (build_id, attempt, envelope, sha256) VALUES (@build, 1, ''::bytea, 'sha256:' || repeat('a', 64))")]
    public async Task Malformed_rows_are_refused_by_the_schema(string sql)
    {
        var build = await BuildAsync();
        await using var conn = await db.DataSource.OpenConnectionAsync();

        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(sql, new { build }));

        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState);
    }
}
