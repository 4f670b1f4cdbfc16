namespace Builder.Core.Debian;

/// <summary>A Debian control-format file (debian/changelog, debian/control, a .dsc) that is not exactly valid.</summary>
public sealed class DebianFormatException : FormatException
{
    public DebianFormatException(string file, int line, string problem)
        : base(line > 0 ? $"{file} line {line}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file named in the message, e.g. <c>debian/changelog</c>.</summary>
    public string File { get; }

    /// <summary>1-based line, or 0 when the problem is the file as a whole.</summary>
    public int Line { get; }

    public string Problem { get; }
}
