namespace Builder.Tests.Common;

/// <summary>
/// The services integration tests use are started by ops/test, which hands them over in environment variables.
/// A missing variable fails the test with the exact fix; it never skips it.
/// </summary>
public static class TestEnvironment
{
    /// <summary>Admin connection string of the throwaway cluster (ops/lib/postgres.sh).</summary>
    public const string Postgres = "BUILDER_TEST_PG";

    /// <summary>A scratch directory that ops/test removes afterwards.</summary>
    public const string WorkDir = "BUILDER_TEST_WORK";

    /// <summary>The checkout's root (the directory holding Builder.sln), for tests of shipped files (ops/config, hooks/).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Builder.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException($"no Builder.sln above {AppContext.BaseDirectory}");
        }
    }

    public static string Require(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidOperationException(
                $"{variable} is not set: this is an integration test that needs the services ops/test starts. Run `ops/test` (as root), or `ops/test --fast` for unit tests only.");
        }
        return value;
    }

    /// <summary>A new directory for one test, under BUILDER_TEST_WORK when set, else under the system temp dir.</summary>
    public static string NewTempDirectory(string prefix)
    {
        var root = Environment.GetEnvironmentVariable(WorkDir);
        var dir = Path.Combine(string.IsNullOrEmpty(root) ? Path.GetTempPath() : root, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
