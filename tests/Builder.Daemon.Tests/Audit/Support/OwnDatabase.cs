using Builder.Tests.Common;

namespace Builder.Daemon.Tests.Audit.Support;

/// <summary>
/// A database per test: one undelivered record holds back every later one (delivery is in seq order), so tests
/// that leave records undelivered must not share a chain.
/// </summary>
public abstract class OwnDatabase : IAsyncLifetime
{
    protected PostgresDatabase Db { get; } = new();

    protected string Dir { get; } = TestEnvironment.NewTempDirectory("audit");

    public virtual Task InitializeAsync() => Db.InitializeAsync();

    public virtual Task DisposeAsync() => Db.DisposeAsync();
}
