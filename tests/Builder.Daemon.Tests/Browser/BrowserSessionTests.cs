using System.Buffers.Binary;
using Builder.Tests.Common;
using Builder.Tests.Common.Browser;

namespace Builder.Daemon.Tests.Browser;

/// <summary>
/// The harness itself: the XSS tests rely on it noticing a dialog and waiting for the load event, so both are shown
/// here to fail when they should (a page that does alert() is caught), not only to pass on a harmless page.
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class BrowserSessionTests(BrowserSession browser) : IClassFixture<BrowserSession>
{
    private static Uri Html(string markup) => new("data:text/html;charset=utf-8," + Uri.EscapeDataString(markup));

    [Fact]
    public void An_alert_a_script_opens_while_the_page_loads_is_reported()
    {
        browser.Navigate(Html("<p>hi</p><script>alert('probe 1')</script>"), "BrowserSession.alert-in-script");

        Assert.Equal(["probe 1"], browser.Dialogs);
    }

    [Fact]
    public void An_alert_from_a_failing_image_handler_is_reported_once_the_page_has_loaded()
    {
        browser.Navigate(Html("<img src=x onerror=\"alert('probe 2')\"><p>after</p>"), "BrowserSession.alert-in-onerror");

        Assert.Equal(["probe 2"], browser.Dialogs);
        Assert.Equal("after", browser.Script("return document.body.innerText") as string);
    }

    [Fact]
    public void Dialogs_are_those_of_the_last_page_only()
    {
        browser.Navigate(Html("<script>alert('first page')</script>"), "BrowserSession.dialog-page");
        browser.Navigate(Html("<p>quiet</p>"), "BrowserSession.quiet-page");

        Assert.Empty(browser.Dialogs);
    }

    [Fact]
    public void Text_a_page_adds_without_reloading_is_awaited_and_the_document_is_still_the_marked_one()
    {
        // Lines arrive one by one from a timer, as a live log's would.
        browser.Navigate(Html("""
            <pre id=log></pre><script>
            let n = 0; const t = setInterval(() => { document.getElementById('log').textContent += 'line ' + (++n) + '\n'; if (n === 3) clearInterval(t); }, 50);
            </script>
            """), "BrowserSession.live-lines");
        browser.MarkDocument();

        browser.WaitUntil(d => d.FindElement(OpenQA.Selenium.By.Id("log")).Text.Contains("line 3", StringComparison.Ordinal), "the third line");
        Assert.True(browser.IsSameDocument());

        browser.Driver.Navigate().Refresh();
        Assert.False(browser.IsSameDocument());
    }

    [Fact]
    public void The_harness_scripts_still_run_under_the_strict_policy_the_pages_send_which_blocks_the_page_s_own_inline_script()
    {
        browser.Navigate(Html("""
            <meta http-equiv="Content-Security-Policy" content="default-src 'self'">
            <p id=p>static</p><script>alert('inline ran')</script>
            """), "BrowserSession.strict-csp");
        browser.MarkDocument();

        Assert.Empty(browser.Dialogs);
        Assert.True(browser.IsSameDocument());
        Assert.Equal("static", browser.Script("return document.getElementById('p').textContent") as string);
    }

    [Fact]
    public void Every_visited_page_leaves_a_png_of_the_fixed_window_s_viewport()
    {
        browser.Navigate(Html("<h1>screenshot</h1>"), "BrowserSession.screenshot");

        var path = browser.Screenshots[^1];
        Assert.StartsWith(browser.ScreenshotDirectory, path, StringComparison.Ordinal);
        var png = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a], png[..8]);
        // IHDR is the first chunk: width and height, big-endian, right after its length and type.
        Assert.Equal(BrowserSession.WindowWidth, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        // The window is fixed; the screenshot is its viewport (the window less headless chromium's own frame).
        var viewport = Convert.ToInt32(browser.Script("return window.innerHeight"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(viewport, BrowserSession.WindowHeight / 2, BrowserSession.WindowHeight);
        Assert.Equal(viewport, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Fact]
    public void A_condition_that_never_holds_fails_within_its_bound_naming_what_was_awaited()
    {
        browser.Navigate(Html("<p>never</p>"), "BrowserSession.wait");

        var e = Assert.Throws<TimeoutException>(() =>
            browser.WaitUntil(d => d.Title == "a title this page does not have", "the impossible title", TimeSpan.FromSeconds(1)));
        Assert.Contains("the impossible title", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_browser_is_debians_chromium_and_the_output_carries_no_selenium_manager_that_could_download_one()
    {
        var found = Directory.EnumerateFiles(AppContext.BaseDirectory, "selenium-manager*", SearchOption.AllDirectories);
        Assert.Empty(found);

        var package = await TestProcess.RunAsync("dpkg-query", ["-W", "-f=${Version}", "chromium"]);
        Assert.True(package.ExitCode == 0, package.ToString());
        var running = ((OpenQA.Selenium.IHasCapabilities)browser.Driver).Capabilities.GetCapability("browserVersion") as string;
        // Debian's version is the upstream one plus a revision: 156.0.8078.129-1~deb12u1 runs as 156.0.8078.129.
        Assert.NotNull(running);
        Assert.StartsWith(running + "-", package.Output, StringComparison.Ordinal);
    }
}
