using Microsoft.Playwright;

namespace SmtpMock.Control.Tests;

/// <summary>
/// With --api-token the page says a token is needed (not "reconnecting…", which would never end), says so again when
/// the token given is wrong, and goes live with the right one; at desktop and phone width.
/// </summary>
public sealed class PageTokenTests : ControlFixture
{
    protected override string? Token => "s3cret";

    [TestCase(1280, "page-token.png")]
    [TestCase(390, "page-token-phone.png")]
    public async Task The_status_asks_for_the_token_then_goes_live_with_it(int width, string screenshot)
    {
        await using var browser = await PageBrowser.OpenAsync(width);
        var page = browser.Page;
        // Each refused API request (no token, a wrong one) is reported by the browser; that is what this test is about.
        browser.Expect("status of 401");
        await page.GotoAsync(Control.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("API token needed");
        await Assertions.Expect(page.Locator("#token-form")).ToBeVisibleAsync();
        await browser.AssertFitsAsync("the token form");
        await browser.ScreenshotAsync(screenshot);

        await page.FillAsync("#token", "wrong");
        await page.ClickAsync("#token-form button[type=submit]");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("API token refused: enter it again");

        await page.FillAsync("#token", Token!);
        await page.ClickAsync("#token-form button[type=submit]");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("live");
        await Assertions.Expect(page.Locator("#token-form")).ToBeHiddenAsync();
        await SendAsync(Message("Seen with the token"));
        await Assertions.Expect(page.Locator("#message-list li strong")).ToHaveTextAsync(["Seen with the token"]);
        Assert.That(browser.Errors, Is.Empty);
    }
}
