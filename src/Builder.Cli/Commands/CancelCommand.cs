using System.CommandLine;
using Builder.Cli.Client;
using Builder.Core.Requests;

namespace Builder.Cli.Commands;

/// <summary><c>builder cancel &lt;id&gt;</c>: a signed cancel request (own builds, or any with the cancel-any flag).</summary>
internal static class CancelCommand
{
    public static Command Create(CommonOptions common)
    {
        var id = new Argument<long>("id") { Description = "Build id" };
        var command = new Command("cancel", "Cancel a queued or running build") { id };
        CliAction.Set(command, async (parse, output, ct) =>
        {
            var settings = common.Settings(parse);
            var buildId = parse.GetRequiredValue(id);
            if (buildId <= 0)
            {
                throw new CliException(ExitCode.Usage, $"build id {buildId} must be positive");
            }
            BuildDetailsView build;
            using (var client = BuilderClient.Create(settings.RequireUrl()))
            {
                build = await client.GetAsync<BuildDetailsView>($"api/v1/builds/{buildId}", ct);
            }
            var request = new BuildRequest(RequestAction.Cancel, build.Build.Pocket, null, null, buildId, settings.RequireUser(),
                RequestFormat.NewNonce(), SubmitCommand.Now());
            var accepted = await SubmitCommand.SignAndSendAsync(settings, request, ct);
            await output.WriteLineAsync(accepted.CancelRequested
                ? $"build {buildId}: cancel requested (it is {accepted.State}; the builder stops it)"
                : $"build {buildId} {accepted.State}");
            return ExitCode.Ok;
        });
        return command;
    }
}
