using System.CommandLine;
using System.Globalization;
using Builder.Cli.Client;

namespace Builder.Cli.Commands;

/// <summary><c>builder log &lt;id&gt; [-f]</c>: print a build's log; with -f, follow it until the build ends.</summary>
internal static class LogCommand
{
    public static Command Create(CommonOptions common)
    {
        var id = new Argument<long>("id") { Description = "Build id" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new output until the build has finished" };
        var command = new Command("log", "Print a build's log") { id, follow };
        CliAction.Set(command, async (parse, output, ct) =>
        {
            using var client = BuilderClient.Create(common.Settings(parse).RequireUrl());
            await FollowAsync(client, parse.GetRequiredValue(id), parse.GetValue(follow), output, ct);
            return ExitCode.Ok;
        });
        return command;
    }

    /// <summary>Prints the log from the start; with follow, reconnects from the last offset until the build is finished.</summary>
    internal static async Task<string> FollowAsync(BuilderClient client, long id, bool follow, TextWriter output, CancellationToken ct)
    {
        long offset = 0;
        while (true)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"api/v1/builds/{id}/log?offset={offset}{(follow ? "&follow=true" : "")}");
            var (state, read) = await client.StreamAsync(path, output, ct);
            offset += read;
            // Without follow, page through the log (the server sends at most 256 KiB per answer) until nothing is left.
            if (follow ? IsFinal(state) : read == 0)
            {
                return state;
            }
        }
    }

    internal static bool IsFinal(string state) => state is "succeeded" or "failed" or "rejected" or "cancelled";
}
