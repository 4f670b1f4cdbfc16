using System.CommandLine;
using System.Globalization;
using Builder.Cli.Client;

namespace Builder.Cli.Commands;

/// <summary><c>builder status [&lt;id&gt;]</c>: one build with its history, or the most recent builds.</summary>
internal static class StatusCommand
{
    public static Command Create(CommonOptions common)
    {
        var id = new Argument<long?>("id") { Description = "Build id (omit to list recent builds)", Arity = ArgumentArity.ZeroOrOne };
        var pocket = new Option<string?>("--pocket") { Description = "List: only this pocket" };
        var package = new Option<string?>("--package") { Description = "List: only this package" };
        var state = new Option<string?>("--state") { Description = "List: only builds in this state" };
        var limit = new Option<int>("--limit") { Description = "List: at most this many builds", DefaultValueFactory = _ => 20 };
        var command = new Command("status", "Show a build, or list recent builds") { id, pocket, package, state, limit };
        CliAction.Set(command, async (parse, output, ct) =>
        {
            using var client = BuilderClient.Create(common.Settings(parse).RequireUrl());
            var json = parse.GetValue(common.Json);
            if (parse.GetValue(id) is { } buildId)
            {
                var path = $"api/v1/builds/{buildId}";
                if (json)
                {
                    await output.WriteLineAsync(await client.GetRawAsync(path, ct));
                    return ExitCode.Ok;
                }
                await WriteDetailsAsync(output, await client.GetAsync<BuildDetailsView>(path, ct));
                return ExitCode.Ok;
            }
            var query = new List<string> { $"limit={parse.GetValue(limit)}" };
            AddQuery(query, "pocket", parse.GetValue(pocket));
            AddQuery(query, "package", parse.GetValue(package));
            AddQuery(query, "state", parse.GetValue(state));
            var listPath = "api/v1/builds?" + string.Join('&', query);
            if (json)
            {
                await output.WriteLineAsync(await client.GetRawAsync(listPath, ct));
                return ExitCode.Ok;
            }
            await WriteTableAsync(output, await client.GetAsync<List<BuildView>>(listPath, ct));
            return ExitCode.Ok;
        });
        return command;
    }

    internal static async Task WriteTableAsync(TextWriter output, IReadOnlyList<BuildView> builds)
    {
        await output.WriteLineAsync($"{"ID",6}  {"STATE",-10}  {"POCKET",-10}  {"PACKAGE",-20}  {"VERSION",-14}  {"REQUESTER",-12}  SUBMITTED");
        foreach (var b in builds)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{b.Id,6}  {StateText(b),-10}  {b.Pocket,-10}  {b.Package,-20}  {b.Version ?? "-",-14}  {b.Requester,-12}  {b.CreatedAt:yyyy-MM-dd HH:mm:ss}Z"));
        }
    }

    private static async Task WriteDetailsAsync(TextWriter output, BuildDetailsView d)
    {
        var b = d.Build;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            build      {b.Id}
            state      {StateText(b)}{(b.FailedStage is null ? "" : $" (stage {b.FailedStage})")}{(b.Reason is null ? "" : $": {b.Reason}")}
            pocket     {b.Pocket}
            package    {b.Package}
            commit     {b.Commit ?? b.RequestedCommit ?? "(head of the pocket's branch)"}
            version    {b.Version ?? "-"}
            requester  {b.Requester} ({d.KeyFingerprint})
            acl        {d.AclHash}
            submitted  {b.CreatedAt:yyyy-MM-dd HH:mm:ss}Z
            """));
        if (b.FinishedAt is { } finished)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"finished   {finished:yyyy-MM-dd HH:mm:ss}Z ({Duration(finished - b.CreatedAt)} after submission)"));
        }
        if (d.Stages?.ToTimings() is { IsEmpty: false } stages)
        {
            await output.WriteLineAsync($"stages     {stages.Describe()}");
        }
        await output.WriteLineAsync("events:");
        foreach (var e in d.Events)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {e.At:yyyy-MM-dd HH:mm:ss}Z  {(e.From is null ? "" : e.From + " → ")}{e.To}{(e.Stage is null ? "" : $" [{e.Stage}]")}{(e.Message is null ? "" : "  " + e.Message)}"));
        }
    }

    private static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h {t.Minutes:00}m {t.Seconds:00}s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}m {t.Seconds:00}s");

    private static string StateText(BuildView b) => b.CancelRequested && b.FinishedAt is null ? b.State + "*" : b.State;

    private static void AddQuery(List<string> query, string name, string? value)
    {
        if (value is not null)
        {
            query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }
}
