using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Builder.Store.Migrations;

/// <summary>The migrations embedded in this assembly (from sql/), in version order.</summary>
public static partial class MigrationSet
{
    [GeneratedRegex(@"^sql/(?<v>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();

    public static IReadOnlyList<Migration> Embedded { get; } = Load(typeof(MigrationSet).Assembly);

    internal static IReadOnlyList<Migration> Load(Assembly assembly)
    {
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var m = ResourceName().Match(resource);
            if (!m.Success)
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd();
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            list.Add(new Migration(int.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture), m.Groups["name"].Value, sql, hash));
        }
        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Version == list[i - 1].Version)
            {
                throw new InvalidOperationException($"two migrations share version {list[i].Version:D4}: {list[i - 1].Name}, {list[i].Name}");
            }
        }
        return list;
    }
}
