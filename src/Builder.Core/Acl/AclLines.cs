using System.Text;
using System.Text.Unicode;

namespace Builder.Core.Acl;

/// <summary>The meaningful lines of an ACL file: '#' comment lines and blank lines dropped, spaces and tabs trimmed.</summary>
internal static class AclLines
{
    public const string CrlfMessage = "CRLF line ends; save the file with LF";

    /// <summary>
    /// (line number, trimmed text) of each meaningful line. A file that is not UTF-8 or has CRLF line ends yields
    /// nothing at all (one error), so a half-understood file never grants anything.
    /// </summary>
    public static List<(int Number, string Text)> Read(AclFile file, AclErrorList errors)
    {
        var lines = new List<(int, string)>();
        var content = file.Content!;
        if (!Utf8.IsValid(content))
        {
            errors.Add(file.Path, null, "not valid UTF-8");
            return lines;
        }
        var text = Encoding.UTF8.GetString(content);
        var crlf = text.IndexOf("\r\n", StringComparison.Ordinal);
        if (crlf >= 0)
        {
            errors.Add(file.Path, 1 + text.AsSpan(0, crlf).Count('\n'), CrlfMessage);
            return lines;
        }
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim(' ', '\t');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (line.Any(c => c is (< ' ' and not '\t') or '\x7f'))
            {
                errors.Add(file.Path, number, "control character in line");
                continue;
            }
            lines.Add((number, line));
        }
        return lines;
    }

    /// <summary>Splits a line at runs of spaces and tabs.</summary>
    public static string[] Tokens(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
