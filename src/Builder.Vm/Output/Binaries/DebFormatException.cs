namespace Builder.Vm.Output.Binaries;

/// <summary>
/// A guest-made .deb, .udeb or .ddeb that is not exactly what dpkg-deb writes, or breaks a cap. Every failure of
/// the ar, decompression and tar layers becomes this one type, so a caller never has to know which library threw.
/// </summary>
public sealed class DebFormatException : Exception
{
    public DebFormatException(string file, string problem)
        : base($"{file}: {problem}")
    {
        File = file;
        Problem = problem;
    }

    public DebFormatException(string file, string problem, Exception innerException)
        : base($"{file}: {problem}", innerException)
    {
        File = file;
        Problem = problem;
    }

    public DebFormatException()
    {
        File = "";
        Problem = "";
    }

    public DebFormatException(string message)
        : base(message)
    {
        File = "";
        Problem = message;
    }

    public DebFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "";
        Problem = message;
    }

    /// <summary>The package file's name (printable), as in the message.</summary>
    public string File { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
