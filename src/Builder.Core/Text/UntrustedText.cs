using System.Globalization;
using System.Text;

namespace Builder.Core.Text;

/// <summary>
/// Makes text that a build, a guest or a tool parsing guest-made files wrote safe to show in a log, a page, a mail
/// or a terminal. Everything that can change how the surrounding text reads is replaced by <c>?</c>: control
/// characters (terminal escapes, carriage returns that overwrite a line), format characters (U+202E and the other
/// bidi overrides and isolates, zero-width joiners), line and paragraph separators, private-use code points and lone
/// surrogates. Tabs stay. Cleaning does not mark text as untrusted; callers prefix it (<c>guest| </c>) where it
/// appears among the daemon's own lines.
/// </summary>
public static class UntrustedText
{
    /// <summary>What replaces each character that is not shown as it is.</summary>
    public const char Replacement = '?';

    /// <summary>The text with every unsafe character replaced; the same instance when nothing needed replacing.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = FirstUnsafe(text);
        if (first < 0)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var pair = text.AsSpan(i, 2);
                if (IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(text, i)))
                {
                    sb.Append(Replacement);
                }
                else
                {
                    sb.Append(pair);
                }
                i++;
                continue;
            }
            sb.Append(IsUnsafe(c) ? Replacement : c);
        }
        return sb.ToString();
    }

    /// <summary>The text cleaned and cut to <paramref name="maxChars"/> characters, marked with … where cut.</summary>
    public static string CleanCut(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        return text.Length > maxChars ? Clean(text[..maxChars]) + "…" : Clean(text);
    }

    /// <summary>Whether <see cref="Clean"/> would change the text.</summary>
    public static bool IsClean(string text) => FirstUnsafe(text) < 0;

    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(text, i)))
                {
                    return i;
                }
                i++;
                continue;
            }
            if (IsUnsafe(c))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool IsUnsafe(char c) =>
        c != '\t' && (char.IsSurrogate(c) || IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(c)));

    private static bool IsUnsafe(UnicodeCategory category) => category is UnicodeCategory.Control
        or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.PrivateUse
        or UnicodeCategory.Surrogate
        or UnicodeCategory.OtherNotAssigned;
}
