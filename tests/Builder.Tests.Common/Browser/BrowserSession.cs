using System.Globalization;
using System.Text;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Builder.Tests.Common.Browser;

/// <summary>
/// One headless Debian chromium, driven through Debian's chromedriver, for tests that must see a page as a developer's
/// browser does (issue 17). Usable as a class fixture (<c>IClassFixture&lt;BrowserSession&gt;</c>) or per test.
/// <para>Nothing is downloaded: both executables are named here, so Selenium Manager (whose binary the test projects
/// do not even carry, see Builder.Tests.Common.csproj) is never asked to find or fetch them. A missing browser fails
/// with the fix; it never skips.</para>
/// <para>Every page visited through <see cref="Navigate"/> leaves a PNG in <see cref="ScreenshotDirectory"/>. JavaScript
/// dialogs are never handled behind the test's back: they stay open until this session records them in
/// <see cref="Dialogs"/> (and accepts them so the page can go on).</para>
/// </summary>
public sealed class BrowserSession : IDisposable
{
    /// <summary>Debian's chromium (package chromium, ops/deps/test/browser.list).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Debian's chromedriver (package chromium-driver, same source and version as the browser).</summary>
    public const string ChromeDriverPath = "/usr/bin/chromedriver";

    /// <summary>Overrides where screenshots go; ops/test sets it to TestResults/screenshots in the checkout.</summary>
    public const string ScreenshotsVariable = "BUILDER_TEST_SCREENSHOTS";

    /// <summary>The window's size, fixed so screenshots of one page are comparable between runs (they show its viewport).</summary>
    public const int WindowWidth = 1280;
    public const int WindowHeight = 900;

    /// <summary>How long a page load, a script or a <see cref="WaitUntil{T}"/> may take unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(30);

    private readonly ChromeDriverService _service;
    private readonly ChromeDriver _driver;
    private readonly string _profile;
    private readonly List<string> _dialogs = [];
    private string? _mark;

    public BrowserSession()
    {
        foreach (var (path, package) in new[] { (ChromiumPath, "chromium"), (ChromeDriverPath, "chromium-driver") })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"{path} is missing: the browser tests need Debian's {package}. Run `ops/test` as root (it installs ops/deps/test/browser.list " +
                    $"with apt), or `apt-get install chromium chromium-driver`.");
            }
        }

        ScreenshotDirectory = ResolveScreenshotDirectory();
        Directory.CreateDirectory(ScreenshotDirectory);
        _profile = TestEnvironment.NewTempDirectory("chromium-profile");

        _service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        _service.HostName = "127.0.0.1";
        _service.SuppressInitialDiagnosticInformation = true;
        _service.HideCommandPromptWindow = true;
        _service.LogPath = Path.Combine(_profile, "chromedriver.log");

        var options = new ChromeOptions
        {
            BinaryLocation = ChromiumPath,
            // Dialogs stay open and make the next command fail, instead of being accepted silently (the default would
            // dismiss them and only mention it in an error message): the session reads and records each one itself.
            UnhandledPromptBehavior = UnhandledPromptBehavior.Ignore,
            PageLoadStrategy = PageLoadStrategy.Normal,
        };
        options.AddArgument("--headless=new");
        options.AddArgument($"--user-data-dir={_profile}");
        options.AddArgument(string.Create(CultureInfo.InvariantCulture, $"--window-size={WindowWidth},{WindowHeight}"));
        // No first-run UI, no component or field-trial downloads: the browser talks to the daemon under test only.
        options.AddArgument("--no-first-run");
        options.AddArgument("--no-default-browser-check");
        options.AddArgument("--disable-background-networking");
        options.AddArgument("--disable-component-update");
        options.AddArgument("--disable-sync");
        if (Environment.IsPrivilegedProcess)
        {
            // ops/test runs as root, and chromium refuses to start its setuid/namespace sandbox as root. The pages are
            // this repository's own, served from loopback; the sandbox is what would contain a hostile web, not needed here.
            options.AddArgument("--no-sandbox");
        }

        try
        {
            _driver = new ChromeDriver(_service, options, DefaultBound + TimeSpan.FromSeconds(30));
        }
        catch (WebDriverException e)
        {
            _service.Dispose();
            throw new InvalidOperationException($"chromium did not start through chromedriver: {e.Message}\n{DriverLogTail()}", e);
        }
        _driver.Manage().Timeouts().PageLoad = DefaultBound;
        _driver.Manage().Timeouts().AsynchronousJavaScript = DefaultBound;
    }

    /// <summary>Where <see cref="Navigate"/> writes its PNGs.</summary>
    public string ScreenshotDirectory { get; }

    /// <summary>The screenshots this session wrote, in order.</summary>
    public IList<string> Screenshots { get; } = [];

    /// <summary>
    /// The text of every JavaScript dialog (alert, confirm, prompt) that opened since the last <see cref="Navigate"/>, as
    /// far as the session has looked: every call of this class looks first. A test that waits for something to happen
    /// late calls <see cref="RecordDialogs"/> (or <see cref="WaitUntil{T}"/>) before asserting this is empty.
    /// </summary>
    public IReadOnlyList<string> Dialogs => _dialogs;

    /// <summary>The underlying driver, for what this class does not wrap (find elements, click, run scripts).</summary>
    public IWebDriver Driver => _driver;

    /// <summary>
    /// Opens <paramref name="url"/>, waits until the document has loaded (load event fired: images have loaded or
    /// failed, so their handlers have run), records any dialog, and writes <c>{screenshotName}.png</c>.
    /// </summary>
    public void Navigate(Uri url, string screenshotName)
    {
        ArgumentNullException.ThrowIfNull(url);
        _dialogs.Clear();
        try
        {
            _driver.Navigate().GoToUrl(url);
        }
        catch (UnhandledAlertException)
        {
            // A dialog opened while the page loaded; RecordDialogs below reads it.
        }
        WaitUntil(d => ((IJavaScriptExecutor)d).ExecuteScript("return document.readyState") as string == "complete",
            $"document.readyState of {url} is 'complete'");
        Screenshot(screenshotName);
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it returns a non-null, non-false value, for at most
    /// <paramref name="bound"/> (default <see cref="DefaultBound"/>). A dialog that opens meanwhile is recorded, not an
    /// error. Fails naming <paramref name="what"/>.
    /// </summary>
    public T WaitUntil<T>(Func<IWebDriver, T> condition, string what, TimeSpan? bound = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var wait = new WebDriverWait(_driver, bound ?? DefaultBound) { PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        try
        {
            return wait.Until(d =>
            {
                RecordDialogs();
                try
                {
                    return condition(d);
                }
                catch (UnhandledAlertException)
                {
                    RecordDialogs();
                    return default!;
                }
            });
        }
        catch (WebDriverTimeoutException e)
        {
            throw new TimeoutException($"waited {(bound ?? DefaultBound).TotalSeconds:0.#}s for {what} at {_driver.Url}", e);
        }
    }

    /// <summary>Runs a script in the page and returns its value (after recording any dialog that was open).</summary>
    public object? Script(string script, params object[] arguments)
    {
        RecordDialogs();
        return _driver.ExecuteScript(script, arguments);
    }

    /// <summary>
    /// Writes the current page as <c>{name}.png</c> (a suffix keeps an earlier one of the same name) and returns the path.
    /// Open dialogs are recorded first: a screenshot cannot be taken under one.
    /// </summary>
    public string Screenshot(string name)
    {
        RecordDialogs();
        var stem = SafeFileName(name);
        var path = Path.Combine(ScreenshotDirectory, stem + ".png");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(ScreenshotDirectory, string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}.png"));
        }
        _driver.GetScreenshot().SaveAsFile(path);
        Screenshots.Add(path);
        return path;
    }

    /// <summary>
    /// Marks the current document, so <see cref="IsSameDocument"/> can tell later whether the page changed in place (a
    /// live log appending lines) or was reloaded or replaced (which drops the mark).
    /// </summary>
    public void MarkDocument()
    {
        _mark = Guid.NewGuid().ToString("N");
        Script("window.__builderTestMark = arguments[0];", _mark);
    }

    /// <summary>Whether the document marked by <see cref="MarkDocument"/> is still the one shown (no reload, no navigation).</summary>
    public bool IsSameDocument()
    {
        if (_mark is null)
        {
            throw new InvalidOperationException("IsSameDocument needs MarkDocument first");
        }
        return Script("return window.__builderTestMark === undefined ? null : window.__builderTestMark;") as string == _mark;
    }

    /// <summary>Records and accepts every dialog that is open now (a handler may open another one after the first).</summary>
    public void RecordDialogs()
    {
        // Bounded: a page that reopens a dialog forever is reported with the first ones, not looped on.
        for (var i = 0; i < 100; i++)
        {
            IAlert alert;
            try
            {
                alert = _driver.SwitchTo().Alert();
            }
            catch (NoAlertPresentException)
            {
                return;
            }
            _dialogs.Add(alert.Text ?? "");
            alert.Accept();
        }
    }

    public void Dispose()
    {
        try
        {
            _driver.Quit();
        }
        finally
        {
            _driver.Dispose();
            _service.Dispose();
            if (Environment.GetEnvironmentVariable("BUILDER_TEST_KEEP") != "1")
            {
                try
                {
                    Directory.Delete(_profile, recursive: true);
                }
                catch (IOException)
                {
                    // A renderer still closing a file; ops/test removes the work dir anyway.
                }
            }
        }
    }

    private string DriverLogTail()
    {
        var log = Path.Combine(_profile, "chromedriver.log");
        if (!File.Exists(log))
        {
            return "(chromedriver wrote no log)";
        }
        var lines = File.ReadLines(log).TakeLast(20);
        return "chromedriver.log, last lines:\n" + string.Join('\n', lines);
    }

    private static string ResolveScreenshotDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(ScreenshotsVariable);
        return string.IsNullOrEmpty(configured)
            ? Path.Combine(TestEnvironment.RepositoryRoot, "TestResults", "screenshots")
            : configured;
    }

    private static string SafeFileName(string name)
    {
        var sb = new StringBuilder(Math.Min(name.Length, 120));
        foreach (var c in name.AsSpan(0, Math.Min(name.Length, 120)))
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }
        return sb.Length == 0 ? "page" : sb.ToString();
    }
}
