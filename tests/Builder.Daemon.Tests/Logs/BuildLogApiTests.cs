using System.Text;
using Builder.Core.Builds;
using Builder.Daemon.Logs;
using Builder.Daemon.Tests.Support;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Daemon.Tests.Logs;

[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildLogApiTests(DaemonHost host) : IClassFixture<DaemonHost>
{
    private BuildLogStore Logs => host.Services.GetRequiredService<BuildLogStore>();
    private BuildRepository Builds => host.Services.GetRequiredService<BuildRepository>();

    private async Task<long> NewBuildAsync()
    {
        var (_, body) = await host.PostAsync(DaemonHost.Submit("alice"), host.Alice);
        return body.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Log_is_served_from_an_offset_with_the_next_offset_in_a_header()
    {
        var id = await NewBuildAsync();
        await using (var w = Logs.OpenAppend(id))
        {
            await w.WriteLineAsync("first line");
            await w.WriteLineAsync("second line");
        }
        using var all = await host.Http.GetAsync($"api/v1/builds/{id}/log");
        Assert.Equal("first line\nsecond line\n", await all.Content.ReadAsStringAsync());
        Assert.Equal("23", all.Headers.GetValues("X-Log-Offset").Single());
        Assert.Equal("queued", all.Headers.GetValues("X-Build-State").Single());

        using var rest = await host.Http.GetAsync($"api/v1/builds/{id}/log?offset=11");
        Assert.Equal("second line\n", await rest.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Follow_streams_new_output_and_ends_when_the_build_has_finished()
    {
        var id = await NewBuildAsync();
        await Logs.AppendLineAsync(id, "preparing", CancellationToken.None);
        using var response = await host.Http.GetAsync($"api/v1/builds/{id}/log?follow=true", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.EndsWith("preparing", await reader.ReadLineAsync());

        await using (var w = Logs.OpenAppend(id))
        {
            await w.WriteLineAsync("compiling hello.c");
        }
        Assert.Equal("compiling hello.c", await reader.ReadLineAsync());

        await using (var w = Logs.OpenAppend(id))
        {
            await w.WriteLineAsync("last words");
        }
        await Builds.TransitionAsync(id, BuildState.Queued, BuildState.Cancelled, null, null, "test", CancellationToken.None);
        Assert.Equal("last words", await reader.ReadLineAsync());
        Assert.Null(await reader.ReadLineAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?follow=true")]
    public async Task Log_is_utf8_plain_text_that_a_browser_must_not_sniff(string query)
    {
        var id = await NewBuildAsync();
        await Logs.AppendLineAsync(id, "<script>alert(1)</script>", CancellationToken.None);
        await Builds.TransitionAsync(id, BuildState.Queued, BuildState.Cancelled, null, null, "test", CancellationToken.None);

        using var response = await host.Http.GetAsync($"api/v1/builds/{id}/log{query}");
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("<script>alert(1)</script>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_offset_is_400_and_unknown_build_is_404()
    {
        Assert.Equal(400, (await host.GetAsync("api/v1/builds/1/log?offset=-3")).Status);
        Assert.Equal(404, (await host.GetAsync("api/v1/builds/987654321/log")).Status);
    }
}
