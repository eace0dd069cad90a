using SmtpMock.Server.Capture;
using Microsoft.Playwright;

namespace SmtpMock.Control.Tests;

/// <summary>
/// With --relay, /healthz says so and the page offers "Release…": it asks for the recipients (the message's own,
/// offered) and says what the relay answered. <see cref="PageTests"/> covers the page without a relay.
/// </summary>
public sealed class PageReleaseTests : RelayFixture
{
    [Test]
    public async Task Release_is_offered_with_a_relay_and_says_what_the_relay_answered()
    {
        var health = await GetJsonAsync("healthz");
        Assert.That(health.GetProperty("relay").GetBoolean(), Is.True);
        await SendAsync(Message("Release from the page", to: "carol@example.test"));

        await using var browser = await PageBrowser.OpenAsync();
        var page = browser.Page;
        await browser.GotoAsync(Control.BaseAddress);
        await page.Locator("#message-list li", new PageLocatorOptions { HasText = "Release from the page" }).ClickAsync();
        var release = page.Locator("#message-view button.release");
        await Assertions.Expect(release).ToBeEnabledAsync();
        await Assertions.Expect(release).ToHaveAttributeAsync("title", "Send it on to the relay smtpmock was started with");

        // A prompt accepted without text answers "" in Playwright, not the offered value as a user's OK would.
        string? answer = " , ";
        var offered = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            offered.Add(dialog.DefaultValue);
            _ = dialog.AcceptAsync(answer ?? dialog.DefaultValue);
        };

        // A cleared field sends nothing (to the API, no 'to' means the message's own recipients).
        await release.ClickAsync();
        await Assertions.Expect(page.Locator("#message-view pre.released")).ToHaveTextAsync("Nothing released: no address given.");
        Assert.That(RelayServer.Messages.Count, Is.Zero);

        answer = null;
        await release.ClickAsync();
        await Assertions.Expect(page.Locator("#message-view pre.released")).ToContainTextAsync($"Released to 127.0.0.1:{RelayServer.EndPoint.Port}:");
        await Assertions.Expect(page.Locator("#message-view pre.released")).ToContainTextAsync("S: 250 2.0.0 OK: queued as");
        var relayed = await RelayServer.Messages.WaitForAsync(_ => true, new CancellationTokenSource(Deadline).Token);
        Assert.That(relayed.Recipients.Select(r => r.Address), Is.EqualTo(new[] { "carol@example.test" }));
        Assert.That(offered, Is.EqualTo(new[] { "carol@example.test", "carol@example.test" }), "the message's own recipients are offered");
        Assert.That(browser.Errors, Is.Empty);
    }
}
