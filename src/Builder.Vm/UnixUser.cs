using System.Globalization;
using System.Text.RegularExpressions;

namespace Builder.Vm;

/// <summary>A local account from /etc/passwd: qemu is started under its uid and primary gid.</summary>
internal sealed partial record UnixUser(string Name, int Uid, int Gid)
{
    private const long MaxPasswdSize = 16 << 20;

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Reads <paramref name="passwdPath"/> (normally /etc/passwd).</summary>
    public static UnixUser Lookup(string name, string passwdPath = "/etc/passwd")
    {
        if (new FileInfo(passwdPath).Length > MaxPasswdSize)
        {
            throw new InvalidOperationException($"{passwdPath} is larger than {MaxPasswdSize} bytes");
        }
        foreach (var line in File.ReadLines(passwdPath))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == name
                && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                return new UnixUser(name, uid, gid);
            }
        }
        throw new InvalidOperationException(
            $"Vm:RunAs user '{name}' does not exist in {passwdPath} (create it: useradd --system --no-create-home --shell /usr/sbin/nologin {name})");
    }
}
