using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;

namespace SmtpMock.Control.Tests;

/// <summary>
/// The page as a person sees it, at desktop width and at phone width: every view and every section opened (messages
/// with their marks, a message with its headers, text, HTML, attachment and raw source, a session's transcript, the
/// retries, the scenario editor, the send form), nothing wider than the window, one look for every control, and a
/// screenshot of each (docs/img with SMTPMOCK_UPDATE_SCREENSHOTS=1).
/// </summary>
public sealed class PageTourTests : ControlFixture
{
    [TestCase(1280, 800, "")]
    [TestCase(390, 844, "-phone")]
    public async Task Every_view_at_this_width(int width, int height, string suffix)
    {
        var received = await CaptureSomeMailAsync();
        await using var browser = await PageBrowser.OpenAsync(width, height);
        var page = browser.Page;
        // The messages came in "today" as far as the page knows, whenever the test runs (even across midnight).
        await page.Clock.SetFixedTimeAsync(received.UtcDateTime);
        // Playwright's clock is a script put into every frame; the sandboxed frame of a message's HTML refuses it
        // (as it refuses a mail's own scripts), and Chromium says so in the console.
        browser.Expect("Blocked script execution in 'about:srcdoc'");
        await browser.GotoAsync(Control.BaseAddress);

        // The list marks how each message came in; a plain one has no marks. Times of today have no date.
        var invoice = Item(page, "Invoice March");
        await Assertions.Expect(invoice.Locator(".mark")).ToHaveTextAsync(["TLS", "AUTH relay", "HTML", "1 attachment"]);
        await Assertions.Expect(invoice.Locator(".mark.tls")).ToHaveAttributeAsync("title", new Regex("^TLSv1\\.[23] TLS_"));
        await Assertions.Expect(Item(page, "From the send form").Locator(".mark.bad")).ToHaveTextAsync("⚠ 1 injected");
        await Assertions.Expect(Item(page, "Plain note").Locator(".mark")).ToHaveCountAsync(0);
        await Assertions.Expect(invoice.Locator("time")).ToHaveTextAsync(new Regex("^\\d{1,2}:\\d{2}:\\d{2}\\s[AP]M$"));
        await browser.AssertFitsAsync("the message list");
        await browser.ScreenshotAsync($"page-messages{suffix}.png");

        await MessageDetailAsync(browser, suffix);
        await SessionAsync(browser, suffix);
        await RetriesAsync(browser, suffix);

        await browser.TabAsync("scenario");
        await Assertions.Expect(page.Locator("#rule-table tbody td.count")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#yaml")).ToHaveValueAsync(new Regex("name: second-rcpt"));
        await Assertions.Expect(page.Locator("#yaml-gutter span")).ToHaveCountAsync(RefuseSecondRecipient.Split('\n').Length);
        await browser.AssertFitsAsync("the scenario editor");
        await browser.ScreenshotAsync($"page-scenario{suffix}.png");
        await OneLookAsync(page);

        await browser.TabAsync("send");
        await Assertions.Expect(page.Locator("#send-form input[name=subject]")).ToHaveValueAsync("Hello from the SmtpMock page");
        await browser.AssertFitsAsync("the send form");
        await browser.ScreenshotAsync($"page-send{suffix}.png");

        // Two days later the same message shows its date: "Mar 3, 6:38:39 PM".
        await page.Clock.SetFixedTimeAsync(received.UtcDateTime.AddDays(2));
        await browser.GotoAsync(Control.BaseAddress);
        var date = received.UtcDateTime.ToString("MMM d", CultureInfo.InvariantCulture);
        await Assertions.Expect(Item(page, "Invoice March").Locator("time")).ToHaveTextAsync(new Regex($"^{date}(, \\d{{4}})?, \\d{{1,2}}:\\d{{2}}:\\d{{2}}\\s[AP]M$"));
        Assert.That(browser.Errors, Is.Empty, "no errors in the page's console (CSP violations included)");
    }

    /// <summary>A message opened: how it came in, every section opened, the raw source as captured.</summary>
    private async Task MessageDetailAsync(PageBrowser browser, string suffix)
    {
        var page = browser.Page;
        await Item(page, "Invoice March").ClickAsync();
        var view = page.Locator("#message-view");
        await Assertions.Expect(view.Locator("h2")).ToHaveTextAsync("Invoice March");
        await browser.AssertRevealedAsync("#message-view");
        await Assertions.Expect(view.Locator(".security .tls")).ToHaveTextAsync(new Regex("^over TLSv1\\.[23] TLS_"));
        await Assertions.Expect(view.Locator(".security .login")).ToHaveTextAsync("logged in as relay (PLAIN)");
        await view.Locator("details.headers summary").ClickAsync();
        await Assertions.Expect(view.Locator("table.headers tr", new LocatorLocatorOptions { HasText = "Subject" }).Locator("td")).ToHaveTextAsync("Invoice March");
        await Assertions.Expect(view.Locator("section h3")).ToHaveTextAsync(["Text", "HTML", "Attachments"]);
        await Assertions.Expect(view.Locator("pre.text")).ToContainTextAsync("Amount due: 42 EUR");
        await Assertions.Expect(page.FrameLocator("#message-view iframe.html").Locator("h1")).ToHaveTextAsync("Invoice");
        await Assertions.Expect(view.Locator("section ul li")).ToContainTextAsync("invoice.pdf application/pdf, 9 bytes");
        await view.Locator("details.raw summary").ClickAsync();
        var raw = System.Text.Encoding.UTF8.GetString(Server.Messages.Messages.Single(m => m.Message.Subject == "Invoice March").Raw.Span);
        foreach (var header in raw.Split("\r\n").TakeWhile(l => l.Length > 0).Where(l => l.StartsWith("Subject:", StringComparison.Ordinal) || l.StartsWith("Message-Id:", StringComparison.OrdinalIgnoreCase)))
        {
            await Assertions.Expect(view.Locator("pre.raw")).ToContainTextAsync(header);
        }

        await Assertions.Expect(view.Locator("button.release")).ToBeDisabledAsync();
        await browser.AssertFitsAsync("a message");
        await view.EvaluateAsync("e => e.scrollIntoView()");
        await browser.ScreenshotAsync($"page-message{suffix}.png");

        // A message with an injected fault says so in its view too.
        await Item(page, "From the send form").ClickAsync();
        await Assertions.Expect(view.Locator(".security .faults")).ToHaveTextAsync("⚠ 1 reply injected by the scenario in its transaction");
        await Assertions.Expect(view.Locator(".security")).ToContainTextAsync("no TLS (plaintext) · no login");
    }

    private static async Task SessionAsync(PageBrowser browser, string suffix)
    {
        var page = browser.Page;
        await browser.TabAsync("sessions");
        await page.Locator("#session-list li.faulty").First.ClickAsync();
        await Assertions.Expect(page.Locator("#transcript .line.injected .rule")).ToHaveTextAsync("rule second-rcpt");
        await Assertions.Expect(page.Locator("#session-view .meta").Last).ToHaveTextAsync("6 commands · 1 message · 1 injected reply");
        await browser.AssertRevealedAsync("#session-view");
        await browser.AssertFitsAsync("a session");
        await browser.ScreenshotAsync($"page-session{suffix}.png");
    }

    /// <summary>Refused keys first, then the newest; the columns line up across keys.</summary>
    private static async Task RetriesAsync(PageBrowser browser, string suffix)
    {
        var page = browser.Page;
        await browser.TabAsync("clients");
        var groups = page.Locator("#client-groups tbody");
        await Assertions.Expect(groups.Locator("tr.key .who")).ToHaveTextAsync([
            new Regex("sender@example.test → second@example.test$"),
            new Regex("alice@example.test → carol@example.test$"),
            new Regex("alice@example.test → bob@example.test$"),
            new Regex("sender@example.test → first@example.test$"),
        ]);
        await Assertions.Expect(groups.First).ToHaveClassAsync("group refused");
        await Assertions.Expect(groups.First.Locator(".mark.bad")).ToHaveTextAsync("⚠ 2 of 2 refused");
        await Assertions.Expect(groups.First.Locator("tr.injected")).ToHaveCountAsync(2);
        var firstReply = await groups.First.Locator("tr:not(.key) td").Nth(2).BoundingBoxAsync();
        var lastReply = await groups.Last.Locator("tr:not(.key) td").Nth(2).BoundingBoxAsync();
        Assert.That((lastReply!.X, lastReply.Width), Is.EqualTo((firstReply!.X, firstReply.Width)), "the Reply column lines up across keys");
        await browser.AssertFitsAsync("the retries");
        await browser.ScreenshotAsync($"page-retries{suffix}.png");
    }

    /// <summary>Buttons, selects and inputs share one look (the browser's defaults differ between them).</summary>
    private static async Task OneLookAsync(IPage page)
    {
        const string Look = "e => { const s = getComputedStyle(e); return [s.borderTopColor, s.borderTopStyle, s.borderTopWidth, s.borderRadius, s.fontSize, s.fontFamily].join('|'); }";
        var button = await page.Locator("#scenario-reset").EvaluateAsync<string>(Look);
        Assert.That(await page.Locator("#scenario-switch").EvaluateAsync<string>(Look), Is.EqualTo(button), "a select looks like a button");
        Assert.That(await page.Locator("#message-filter").EvaluateAsync<string>(Look), Is.EqualTo(button), "an input looks like a button");
        Assert.That(await page.Locator("#send-form textarea").EvaluateAsync<string>(Look), Is.EqualTo(button), "a text area looks like a button");
        Assert.That(button, Does.Contain("6px"), "rounded as the tabs are");
    }

    private static ILocator Item(IPage page, string subject) =>
        page.Locator("#message-list li", new PageLocatorOptions { Has = page.Locator("strong", new PageLocatorOptions { HasTextRegex = new Regex($"^{subject}$") }) });

    /// <summary>
    /// Mail of each kind, oldest first: two from the send form whose second recipient the scenario refuses (a retry
    /// key with two refusals), an invoice over STARTTLS after a login, with HTML and a PDF, and a plain note.
    /// Returns when the invoice was received.
    /// </summary>
    private async Task<DateTimeOffset> CaptureSomeMailAsync()
    {
        await UseScenarioAsync(RefuseSecondRecipient);

        foreach (var subject in new[] { "First try from the send form", "From the send form" })
        {
            using var sent = await Http.PostAsJsonAsync("api/v1/send", new { from = "sender@example.test", to = new[] { "first@example.test", "second@example.test" }, subject, text = "Hello" });
            Assert.That(sent.IsSuccessStatusCode, Is.True);
        }

        var invoice = Message("Invoice March");
        var body = new BodyBuilder { TextBody = "Amount due: 42 EUR", HtmlBody = "<h1>Invoice</h1><p style=\"color: #2754c5\">Amount due: <b>42 EUR</b></p>" };
        body.Attachments.Add("invoice.pdf", "%PDF-1.4\n"u8.ToArray(), new ContentType("application", "pdf"));
        invoice.Body = body.ToMessageBody();
        await SendAsync(tls: true, user: "relay", mechanism: "PLAIN", invoice);
        var invoiceReceived = Server.Messages.Messages.Single(m => m.Message.Subject == "Invoice March").ReceivedAt;
        await SendAsync(Message("Plain note", to: "carol@example.test"));
        return invoiceReceived;
    }
}
