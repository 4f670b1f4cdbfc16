using System.CommandLine;

namespace Builder.Cli.Tests;

/// <summary>Runs the real command tree in-process and captures stdout/stderr.</summary>
internal static class CliRunner
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BuilderCommandLine.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
