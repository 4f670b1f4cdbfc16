using System.Globalization;
using System.Text.Json;
using Builder.Daemon.Tests.Support;

namespace Builder.EndToEnd.Tests.Support;

/// <summary>Reading and waiting for a build through the daemon's API.</summary>
public static class BuildWaits
{
    public static async Task<JsonElement> DetailsAsync(this DaemonHost host, long id)
    {
        var (status, body) = await host.GetAsync(string.Create(CultureInfo.InvariantCulture, $"api/v1/builds/{id}"));
        Assert.Equal(200, status);
        return body;
    }

    /// <summary>Polls the build until <paramref name="done"/> holds; fails with the build's log after <paramref name="limit"/>.</summary>
    public static async Task<JsonElement> WaitUntilAsync(this DaemonHost host, long id, Func<JsonElement, bool> done, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var details = await host.DetailsAsync(id);
            if (done(details))
            {
                return details;
            }
            if (DateTime.UtcNow > deadline || IsFinal(State(details)))
            {
                Assert.Fail($"build {id} is {State(details)}, still waiting for {what} after {limit}; its log:\n{await host.LogAsync(id)}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public static async Task<JsonElement> WaitForEndAsync(this DaemonHost host, long id, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var details = await host.DetailsAsync(id);
            if (IsFinal(State(details)))
            {
                return details;
            }
            Assert.True(DateTime.UtcNow < deadline, $"build {id} still {State(details)} after {limit}");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    public static async Task<string> LogAsync(this DaemonHost host, long id)
    {
        using var response = await host.Http.GetAsync(string.Create(CultureInfo.InvariantCulture, $"api/v1/builds/{id}/log"));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Waits until the build's log contains <paramref name="text"/>; returns the log.</summary>
    public static async Task<string> WaitForLogAsync(this DaemonHost host, long id, string text, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var log = await host.LogAsync(id);
            if (log.Contains(text, StringComparison.Ordinal))
            {
                return log;
            }
            Assert.True(DateTime.UtcNow < deadline, $"build {id}: no '{text.Trim()}' in its log after {limit}:\n{log}");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public static bool IsFinal(string state) => state is "succeeded" or "failed" or "rejected" or "cancelled";

    public static JsonElement Build(JsonElement details) => details.GetProperty("build");

    public static string State(JsonElement details) => Build(details).GetProperty("state").GetString()!;

    public static string? Field(JsonElement details, string name) =>
        Build(details).GetProperty(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    /// <summary>The build_events rows, oldest first: transitions (from ≠ to) and notes (from = to).</summary>
    public static IReadOnlyList<(DateTimeOffset At, string? From, string To, string? Message)> Events(JsonElement details) =>
        [.. details.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("at").GetDateTimeOffset(), e.GetProperty("from").GetString(),
            e.GetProperty("to").GetString()!, e.GetProperty("message").GetString()))];

    /// <summary>The states the build went through, in order, each once.</summary>
    public static IReadOnlyList<string> States(JsonElement details) => [.. Events(details).Select(e => e.To).Distinct()];

    /// <summary>When the build entered <paramref name="state"/>.</summary>
    public static DateTimeOffset EnteredAt(JsonElement details, string state) =>
        Events(details).First(e => e.To == state && e.From != state).At;
}
