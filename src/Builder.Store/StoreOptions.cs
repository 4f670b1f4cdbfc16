namespace Builder.Store;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class StoreOptions
{
    public const string Section = "Database";

    /// <summary>Npgsql connection string, e.g. <c>Host=/run/postgresql;Database=builder;Username=builder</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations when the daemon starts (otherwise run <c>builderd migrate</c>).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
