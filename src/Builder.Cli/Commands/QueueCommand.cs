using System.CommandLine;
using Builder.Cli.Client;

namespace Builder.Cli.Commands;

/// <summary><c>builder queue</c>: queued and running builds, oldest first.</summary>
internal static class QueueCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("queue", "Show queued and running builds (a * after the state: cancel requested)");
        CliAction.Set(command, async (parse, output, ct) =>
        {
            using var client = BuilderClient.Create(common.Settings(parse).RequireUrl());
            if (parse.GetValue(common.Json))
            {
                await output.WriteLineAsync(await client.GetRawAsync("api/v1/queue", ct));
                return ExitCode.Ok;
            }
            var queue = await client.GetAsync<List<BuildView>>("api/v1/queue", ct);
            if (queue.Count == 0)
            {
                await output.WriteLineAsync("the queue is empty");
                return ExitCode.Ok;
            }
            await StatusCommand.WriteTableAsync(output, queue);
            return ExitCode.Ok;
        });
        return command;
    }
}
