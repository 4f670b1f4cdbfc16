using Builder.Core.Builds;
using Builder.Daemon.Logs;
using Builder.Daemon.Tests.Support;
using Builder.Store.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Browser;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Daemon.Tests.Logs;

/// <summary>
/// A build's log is written by the guest: opened in a real browser (headless Debian chromium) it must stay text. The
/// same markup served as HTML does open dialogs in this harness (BrowserSessionTests), so a silent page here means
/// the log endpoint kept it inert, not that the harness missed it.
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildLogBrowserTests(DaemonHost host, BrowserSession browser) : IClassFixture<DaemonHost>, IClassFixture<BrowserSession>
{
    private static readonly string[] Hostile =
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "<a href=\"javascript:alert(3)\">x</a>",
    ];

    private BuildLogStore Logs => host.Services.GetRequiredService<BuildLogStore>();
    private BuildRepository Builds => host.Services.GetRequiredService<BuildRepository>();

    private async Task<long> BuildWithHostileLogAsync(bool finished)
    {
        var (status, body) = await host.PostAsync(DaemonHost.Submit("alice"), host.Alice);
        Assert.Equal(201, status);
        var id = body.GetProperty("id").GetInt64();
        await Logs.AppendLineAsync(id, "dpkg-buildpackage: info: source package hello", CancellationToken.None);
        foreach (var line in Hostile)
        {
            await Logs.AppendLineAsync(id, line, CancellationToken.None);
        }
        if (finished)
        {
            await Builds.TransitionAsync(id, BuildState.Queued, BuildState.Cancelled, null, null, "test", CancellationToken.None);
        }
        return id;
    }

    [Theory]
    [InlineData(false, "")]
    [InlineData(true, "")]
    [InlineData(true, "?follow=true")]
    public async Task Markup_in_a_log_opened_in_chromium_is_shown_as_text_and_runs_nothing(bool finished, string query)
    {
        var id = await BuildWithHostileLogAsync(finished);

        browser.Navigate(new Uri(host.BaseAddress, $"api/v1/builds/{id}/log{query}"),
            $"Logs.BuildLog-{(finished ? "finished" : "queued")}{(query.Length > 0 ? "-follow" : "")}");

        Assert.Empty(browser.Dialogs);
        Assert.Equal("text/plain", browser.Script("return document.contentType") as string);
        // Nothing the log said became an element: chromium's text view is one <pre> in <body>.
        Assert.Equal(0L, browser.Script("return document.querySelectorAll('script, img, a, iframe, object, embed, svg').length"));
        var text = Assert.IsType<string>(browser.Script("return document.body.innerText"));
        foreach (var line in Hostile)
        {
            Assert.Contains(line, text, StringComparison.Ordinal);
        }
    }
}
