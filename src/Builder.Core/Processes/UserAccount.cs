using System.Globalization;

namespace Builder.Core.Processes;

/// <summary>
/// This process's user as the account database has it, so a child's HOME is the user's home and not whatever HOME this
/// process was started with.
/// </summary>
public static class UserAccount
{
    private static readonly Lazy<string> SelfHome = new(() => HomeOf(ProcessPrivileges.Current.Uid, File.ReadAllLines("/etc/passwd")));

    /// <summary>The home directory of this process's effective uid in /etc/passwd; <c>/</c> for a uid without an entry there.</summary>
    public static string Home => SelfHome.Value;

    /// <summary>The home field of <paramref name="uid"/>'s line (<c>name:password:uid:gid:gecos:home:shell</c>); <c>/</c> without one.</summary>
    public static string HomeOf(uint uid, IEnumerable<string> passwd)
    {
        var id = uid.ToString(CultureInfo.InvariantCulture);
        return passwd.Select(line => line.Split(':'))
            .FirstOrDefault(fields => fields.Length == 7 && fields[2] == id && fields[5].StartsWith('/'))?[5] ?? "/";
    }
}
