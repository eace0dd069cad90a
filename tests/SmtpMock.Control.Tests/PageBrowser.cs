using Microsoft.Playwright;

namespace SmtpMock.Control.Tests;

/// <summary>
/// The page in headless Chromium (Debian's chromium package, driven by Playwright), in English and UTC so texts and
/// screenshots do not depend on the machine. Collects the console's errors: a CSP refusal, a script error or a
/// failed request the test did not expect to see is a bug of the page's. The page keeps an events stream open, so
/// tests wait on what the DOM shows (Playwright's expectations retry until <see cref="ControlFixture.Deadline"/>).
/// </summary>
internal sealed class PageBrowser : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _errors = [];
    private readonly List<string> _expected = [];

    private PageBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        page.SetDefaultTimeout((float)ControlFixture.Deadline.TotalMilliseconds);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add(message.Text);
                }
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Console errors, but for those a test caused on purpose (<see cref="Expect"/>).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors.Where(e => !_expected.Any(x => e.Contains(x, StringComparison.Ordinal)))];
            }
        }
    }

    /// <summary>Starts Chromium (or marks the test inconclusive without it, failed when SMTPMOCK_REQUIRE_TOOLS=1) and opens a page.</summary>
    public static async Task<PageBrowser> OpenAsync(int width = 1280, int height = 800)
    {
        if (!File.Exists(Chromium))
        {
            if (Environment.GetEnvironmentVariable("SMTPMOCK_REQUIRE_TOOLS") == "1")
            {
                Assert.Fail($"{Chromium} is missing: apt-get install -y chromium");
            }

            Assert.Ignore($"{Chromium} is missing (apt-get install -y chromium)");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions
            {
                ViewportSize = new ViewportSize { Width = width, Height = height },
                Locale = "en-US",
                TimezoneId = "UTC",
            });
            return new PageBrowser(playwright, browser, page);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A console error the test causes on purpose (a refused request), not counted in <see cref="Errors"/>.</summary>
    public void Expect(string fragment) => _expected.Add(fragment);

    /// <summary>Opens the page and waits until its events stream is up.</summary>
    public async Task GotoAsync(Uri address)
    {
        await Page.GotoAsync(address.ToString());
        await Assertions.Expect(Page.Locator("#status")).ToHaveTextAsync("live");
    }

    /// <summary>Shows a view by its tab and waits until the tab is the active one.</summary>
    public async Task TabAsync(string name)
    {
        await Page.ClickAsync($"nav button[data-tab={name}]");
        await Assertions.Expect(Page.Locator($"#tab-{name}")).ToBeVisibleAsync();
    }

    /// <summary>Nothing is wider than the window: no sideways scrolling (the phone width check).</summary>
    public async Task AssertFitsAsync(string view)
    {
        var width = Page.ViewportSize!.Width;
        Assert.That(await Page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(width), $"{view} fits in {width} px");
    }

    /// <summary>
    /// The top of the view just picked is in sight: at phone width the view sits below its list, so the page scrolls
    /// it to the top of the window (or as far as the page scrolls). Waits for it (the scroll follows the view's request for its data).
    /// </summary>
    public async Task AssertRevealedAsync(string selector)
    {
        var top = Page.ViewportSize!.Width <= 760
            ? "Math.abs(e.getBoundingClientRect().top) < 1 || Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight"
            : "e.getBoundingClientRect().top >= 0 && e.getBoundingClientRect().top < window.innerHeight / 2";
        await Page.WaitForFunctionAsync($"() => {{ const e = document.querySelector('{selector}'); return {top}; }}");
    }

    /// <summary>Into the test output always; into docs/img for the README when SMTPMOCK_UPDATE_SCREENSHOTS=1.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var bytes = await Page.ScreenshotAsync(new PageScreenshotOptions { FullPage = false, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        await File.WriteAllBytesAsync(Path.Combine(TestContext.CurrentContext.WorkDirectory, name), bytes);
        if (Environment.GetEnvironmentVariable("SMTPMOCK_UPDATE_SCREENSHOTS") == "1")
        {
            var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "SmtpMock.sln")))
            {
                root = root.Parent;
            }

            Directory.CreateDirectory(Path.Combine(root!.FullName, "docs", "img"));
            await File.WriteAllBytesAsync(Path.Combine(root.FullName, "docs", "img", name), bytes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
