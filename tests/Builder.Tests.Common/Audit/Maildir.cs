using System.Globalization;
using System.Text.RegularExpressions;
using MimeKit;
using Xunit;

namespace Builder.Tests.Common.Audit;

/// <summary>Reads what the real SMTP server stored; shared Maildirs are filtered by this test's Message-IDs.</summary>
public static partial class Maildir
{
    public static IEnumerable<string> Files(string maildir) =>
        new[] { "new", "cur" }.Select(d => Path.Combine(maildir, d)).Where(Directory.Exists).SelectMany(Directory.GetFiles);

    public static string FileOf(string maildir, string messageId) =>
        Files(maildir).Single(f => Load(f).MessageId == messageId);

    public static MimeMessage Load(string file)
    {
        using var stream = File.OpenRead(file);
        return MimeMessage.Load(stream);
    }

    /// <summary>When the server stored the mail: the time Python's mailbox module puts in the file name (seconds.Mmicroseconds).</summary>
    public static DateTimeOffset StoredAt(string file)
    {
        var m = StoredAtPattern().Match(Path.GetFileName(file));
        Assert.True(m.Success, $"unexpected Maildir file name {file}");
        return DateTimeOffset.FromUnixTimeSeconds(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .AddTicks(long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * 10);
    }

    [GeneratedRegex(@"^(\d+)\.M(\d+)P")]
    private static partial Regex StoredAtPattern();
}
