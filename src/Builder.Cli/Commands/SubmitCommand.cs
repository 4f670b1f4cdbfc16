using System.CommandLine;
using Builder.Cli.Client;
using Builder.Cli.Signing;
using Builder.Core.Pockets;
using Builder.Core.Requests;

namespace Builder.Cli.Commands;

/// <summary><c>builder submit &lt;pocket&gt; &lt;package&gt; [&lt;commit&gt;]</c>: sign a build request with ssh-keygen and send it.</summary>
internal static class SubmitCommand
{
    public static Command Create(CommonOptions common)
    {
        var pocket = new Argument<string>("pocket") { Description = "Pocket to build for (e.g. dev, prod)" };
        var package = new Argument<string>("package") { Description = "Debian source package name" };
        var commit = new Argument<string?>("commit") { Description = "Full 40-hex commit id (default: head of the pocket's branch)", Arity = ArgumentArity.ZeroOrOne };
        var wait = new Option<bool>("--wait", "-w") { Description = "Follow the build: a progress line (state, elapsed), then exit with the build's result code" };
        var command = new Command("submit", "Submit a signed build request")
        {
            pocket, package, commit, wait,
        };
        CliAction.Set(command, async (parse, output, ct) =>
        {
            var settings = common.Settings(parse);
            var request = new BuildRequest(RequestAction.Submit, Check(parse.GetRequiredValue(pocket), PocketNames.IsValidPocket, "pocket"),
                Check(parse.GetRequiredValue(package), PocketNames.IsValidPackage, "package"), CheckCommit(parse.GetValue(commit)),
                null, settings.RequireUser(), RequestFormat.NewNonce(), Now());
            var accepted = await SignAndSendAsync(settings, request, ct);
            await output.WriteLineAsync(parse.GetValue(common.Json)
                ? System.Text.Json.JsonSerializer.Serialize(accepted, BuilderClient.Json)
                : $"build {accepted.Id} {accepted.State}: {request.Pocket}/{request.Package}{(request.Commit is null ? "" : " at " + request.Commit)}");
            return parse.GetValue(wait) ? await WaitAsync(settings, accepted.Id, output, ct) : ExitCode.Ok;
        });
        return command;
    }

    /// <summary>Polls the build until it finishes, printing the state and elapsed time; maps the result to an exit code.</summary>
    internal static async Task<ExitCode> WaitAsync(ClientSettings settings, long id, TextWriter output, CancellationToken ct)
    {
        using var client = BuilderClient.Create(settings.RequireUrl());
        var started = System.Diagnostics.Stopwatch.StartNew();
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        string? last = null;
        while (true)
        {
            var build = (await client.GetAsync<BuildDetailsView>($"api/v1/builds/{id}", ct)).Build;
            var line = $"build {id}: {build.State}{(build.FailedStage is null ? "" : $" ({build.FailedStage})")} [{started.Elapsed:mm\\:ss}]";
            if (interactive)
            {
                await output.WriteAsync($"\r{line}   ");
            }
            else if (build.State != last)
            {
                await output.WriteLineAsync(line);
            }
            last = build.State;
            if (LogCommand.IsFinal(build.State))
            {
                if (interactive)
                {
                    await output.WriteLineAsync();
                }
                if (build.Reason is { Length: > 0 } reason && build.State != "succeeded")
                {
                    await output.WriteLineAsync($"reason: {reason}");
                }
                return build.State switch
                {
                    "succeeded" => ExitCode.Ok,
                    "rejected" => ExitCode.BuildRejected,
                    "cancelled" => ExitCode.BuildCancelled,
                    _ => ExitCode.BuildFailed,
                };
            }
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
    }

    internal static async Task<RequestAcceptedView> SignAndSendAsync(ClientSettings settings, BuildRequest request, CancellationToken ct)
    {
        var url = settings.RequireUrl();
        var text = RequestFormat.Serialize(request);
        var signature = await SshKeygenSigner.SignAsync(settings.RequireKey(), text, ct);
        using var client = BuilderClient.Create(url);
        return await client.PostRequestAsync(text, signature, ct);
    }

    internal static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    internal static string Check(string value, Func<string, bool> valid, string what) =>
        valid(value) ? value : throw new CliException(ExitCode.Usage, $"'{value}' is not a valid {what} name");

    private static string? CheckCommit(string? commit) =>
        commit is null || (commit.Length == 40 && commit.All(char.IsAsciiHexDigitLower))
            ? commit
            : throw new CliException(ExitCode.Usage, $"commit '{commit}' must be a full 40-character lowercase hex id");
}
