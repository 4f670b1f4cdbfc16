namespace Builder.Store.Migrations;

/// <summary>One <c>sql/NNNN_name.sql</c> file.</summary>
public sealed record Migration(int Version, string Name, string Sql, string Sha256);
