using Npgsql;

namespace Builder.Tests.Common.Audit;

/// <summary>
/// Database faults at the moment a build-end record is written, as a lost connection or a failing disk would cause
/// them: a trigger that raises on the first <c>times</c> build-end inserts of one build. The count lives in a sequence,
/// which the failing transaction's rollback does not undo.
/// </summary>
public static class AuditFaults
{
    public const string Message = "injected fault";

    public static async Task FailBuildEndAsync(NpgsqlDataSource dataSource, long build, int times)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand($"""
            CREATE SEQUENCE test_fault_{build};
            CREATE FUNCTION test_fail_build_end_{build}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.event = 'build-end' AND NEW.build_id = {build} AND nextval('test_fault_{build}') <= {times} THEN
                    RAISE EXCEPTION '{Message}' USING ERRCODE = 'connection_failure';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_fail_build_end_{build} BEFORE INSERT ON audit_records FOR EACH ROW EXECUTE FUNCTION test_fail_build_end_{build}();
            """, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
