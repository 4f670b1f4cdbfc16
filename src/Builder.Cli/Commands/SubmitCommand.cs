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
        var command = new Command("submit", "Submit a signed build request")
        {
            pocket, package, commit,
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
            return ExitCode.Ok;
        });
        return command;
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
