using System.CommandLine;

namespace Builder.Cli.Commands;

/// <summary>Runs a command body and turns <see cref="CliException"/> into one stderr line and its exit code.</summary>
internal static class CliAction
{
    public static void Set(Command command, Func<ParseResult, TextWriter, CancellationToken, Task<ExitCode>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            try
            {
                return (int)await body(parse, output, ct);
            }
            catch (CliException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"builder: {ex.Message}");
                return (int)ex.Code;
            }
        });
}
