using Microsoft.Playwright;
using MimeKit;

namespace SmtpMock.Control.Tests;

/// <summary>
/// The web page in headless Chromium: a message sent from the page's form is listed, its raw source shows, its
/// session shows the injected 503 highlighted with its rule, the editor marks a problem's line, and messages are
/// deleted one at a time or all at once. <see cref="PageTourTests"/> looks at every view at two widths.
/// </summary>
public sealed class PageTests : ControlFixture
{
    [Test]
    public async Task Page_lists_a_sent_message_shows_the_injected_503_with_its_rule_and_marks_a_yaml_problem_at_its_line()
    {
        await UseScenarioAsync(RefuseSecondRecipient);

        await using var browser = await PageBrowser.OpenAsync();
        var page = browser.Page;
        // The refused PUT is a 400 on purpose; anything else (a CSP refusal, a script error, a 404) is a bug.
        browser.Expect("status of 400");
        await browser.GotoAsync(Control.BaseAddress);

        // Send from the page's form to two recipients: the second RCPT gets the injected 503, the message goes to the first.
        await page.ClickAsync("nav button[data-tab=send]");
        await page.FillAsync("#send-form input[name=to]", "first@example.test, second@example.test");
        await page.FillAsync("#send-form input[name=subject]", "Sent from the page test");
        await page.ClickAsync("#send-form button[type=submit]");

        // The form opens the session it made: the injected reply is highlighted and names its rule.
        var injected = page.Locator("#transcript .line.injected");
        await Assertions.Expect(injected).ToHaveCountAsync(1);
        await Assertions.Expect(injected.Locator("code")).ToContainTextAsync("S: 503 5.5.1");
        await Assertions.Expect(injected.Locator(".rule")).ToHaveTextAsync("rule second-rcpt");

        // The message is listed live and opens.
        await page.ClickAsync("nav button[data-tab=messages]");
        var listed = page.Locator("#message-list li", new PageLocatorOptions { HasText = "Sent from the page test" });
        await Assertions.Expect(listed).ToHaveCountAsync(1);
        await listed.ClickAsync();
        await Assertions.Expect(page.Locator("#message-view h2")).ToHaveTextAsync("Sent from the page test");
        await Assertions.Expect(page.Locator("#message-view .meta").First).ToContainTextAsync("<first@example.test>");
        // A text-only message has no HTML and no attachments: those parts are left out, not shown as "null".
        await Assertions.Expect(page.Locator("#message-view section h3")).ToHaveTextAsync(["Text"]);
        await Assertions.Expect(page.Locator("#message-view")).Not.ToContainTextAsync("null");
        // The raw source is the captured message itself: its header lines appear as they were sent.
        var raw = System.Text.Encoding.UTF8.GetString(Server.Messages.Messages.Single().Raw.Span);
        var messageIdLine = raw.Split("\r\n").First(l => l.StartsWith("Message-ID: ", StringComparison.OrdinalIgnoreCase));
        await page.ClickAsync("#message-view details.raw summary");
        await Assertions.Expect(page.Locator("#message-view pre.raw")).ToContainTextAsync(messageIdLine);
        await Assertions.Expect(page.Locator("#message-view pre.raw")).ToContainTextAsync("Subject: Sent from the page test");

        // The retries view groups the attempt by client key and names the rule that refused the second recipient.
        await page.ClickAsync("nav button[data-tab=clients]");
        var refused = page.Locator("#client-groups tbody", new PageLocatorOptions { HasText = "second@example.test" });
        await Assertions.Expect(refused.Locator("tr.injected .rule")).ToHaveTextAsync("rule second-rcpt");

        // The scenario view shows the hit count; a broken edit is refused with the problem at its line.
        await page.ClickAsync("nav button[data-tab=scenario]");
        await Assertions.Expect(page.Locator("#rule-table tbody td.count")).ToHaveTextAsync("1");
        await page.FillAsync("#yaml", "name: broken\nrules:\n  - name: x\n    on: RCPT\n    reply: 999\n");
        await page.ClickAsync("#scenario-apply");
        await Assertions.Expect(page.Locator("#yaml-gutter span.bad")).ToHaveAttributeAsync("data-line", "5");
        await Assertions.Expect(page.Locator("#yaml-problems li")).ToContainTextAsync("line 5");
        Assert.That(Server.Scenarios.Active?.Name, Is.EqualTo("second-rcpt-503"), "the refused edit left the old scenario active");

        // Download the message as it was captured, then delete it from its view, then every message with "Delete all".
        await page.ClickAsync("nav button[data-tab=messages]");
        await listed.ClickAsync();
        var id = Server.Messages.Messages.Single().Id;
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#message-view button.download"));
        Assert.That(download.SuggestedFilename, Is.EqualTo($"{id}.eml"));
        Assert.That(await File.ReadAllBytesAsync((await download.PathAsync())!), Is.EqualTo(Server.Messages.Messages.Single().Raw.ToArray()));
        await page.ClickAsync("#message-view button.delete");
        await Assertions.Expect(page.Locator("#message-list li.empty")).ToHaveTextAsync("No messages yet: send one to the SMTP port.");
        Assert.That(Server.Messages.Count, Is.Zero);
        await SendAsync(Message("First of two"), Message("Second of two"));
        await Assertions.Expect(page.Locator("#message-list li")).ToHaveCountAsync(2);
        // "Delete all" asks first: dismissed, nothing goes; accepted, every message goes.
        var asked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Dismiss(object? sender, IDialog dialog)
        {
            asked.TrySetResult(dialog.Message);
            _ = dialog.DismissAsync();
        }

        page.Dialog += Dismiss;
        await page.ClickAsync("#messages-clear");
        Assert.That(await asked.Task.WaitAsync(Deadline), Is.EqualTo("Delete every captured message (not only those shown)?"));
        await Assertions.Expect(page.Locator("#message-list li")).ToHaveCountAsync(2);
        Assert.That(Server.Messages.Count, Is.EqualTo(2), "dismissed: nothing deleted");
        page.Dialog -= Dismiss;
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.ClickAsync("#messages-clear");
        await Assertions.Expect(page.Locator("#message-list li.empty")).ToHaveCountAsync(1);
        Assert.That(Server.Messages.Count, Is.Zero);

        // HTML mail shows with its inline styles and <style> rules (most mail is styled inline), in its sandboxed frame.
        var styled = Message("Styled HTML");
        styled.Body = new BodyBuilder
        {
            TextBody = "plain",
            HtmlBody = "<style>.bold { font-weight: 700 }</style><p id=\"styled\" class=\"bold\" style=\"color: rgb(255, 0, 0)\">red</p>",
        }.ToMessageBody();
        await SendAsync(styled);
        await page.Locator("#message-list li", new PageLocatorOptions { HasText = "Styled HTML" }).ClickAsync();
        var paragraph = page.FrameLocator("#message-view iframe.html").Locator("#styled");
        await Assertions.Expect(paragraph).ToHaveCSSAsync("color", "rgb(255, 0, 0)");
        await Assertions.Expect(paragraph).ToHaveCSSAsync("font-weight", "700");

        // The search box matches a recipient (or sender, or subject), not the subject alone.
        await page.FillAsync("#message-filter", "BOB@example");
        await Assertions.Expect(page.Locator("#message-list li strong")).ToHaveTextAsync(["Styled HTML"]);
        await page.FillAsync("#message-filter", "nobody@");
        await Assertions.Expect(page.Locator("#message-list li.empty")).ToHaveCountAsync(1);
        await page.FillAsync("#message-filter", string.Empty);

        // A message deleted elsewhere (another tab, a test's DELETE) leaves this page's view too: the messages-deleted event.
        await page.Locator("#message-list li", new PageLocatorOptions { HasText = "Styled HTML" }).ClickAsync();
        await Assertions.Expect(page.FrameLocator("#message-view iframe.html").Locator("#styled")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("live");
        using (var deleted = await Http.DeleteAsync($"api/v1/messages/{Server.Messages.Messages.Single().Id}"))
        {
            Assert.That(deleted.IsSuccessStatusCode, Is.True);
        }

        await Assertions.Expect(page.Locator("#message-view p.empty")).ToHaveTextAsync("Select a message.");
        await Assertions.Expect(page.Locator("#message-list li.empty")).ToHaveCountAsync(1);

        // Past 200 messages the list says so and shows older ones on request (the store keeps 1000 by default).
        await SendAsync([.. Enumerable.Range(1, 201).Select(i => Message($"Bulk {i}"))]);
        await Assertions.Expect(page.Locator("#message-list li.more button")).ToHaveTextAsync("200 newest shown: show 200 older");
        Assert.That(await page.Locator("#message-list li:not(.more)").CountAsync(), Is.EqualTo(200));
        await page.ClickAsync("#message-list li.more button");
        await Assertions.Expect(page.Locator("#message-list li")).ToHaveCountAsync(201);
        await Assertions.Expect(page.Locator("#message-list li strong").Last).ToHaveTextAsync("Bulk 1");

        // Without --relay, "Release…" is not offered: it is disabled and says which flag turns it on (PageReleaseTests
        // covers a relay).
        await page.Locator("#message-list li", new PageLocatorOptions { Has = page.GetByText("Bulk 201", new PageGetByTextOptions { Exact = true }) }).ClickAsync();
        await Assertions.Expect(page.Locator("#message-view button.release")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#message-view button.release")).ToHaveAttributeAsync("title", "Releasing needs a relay: start smtpmock with --relay HOST[:PORT]");
        Assert.That(browser.Errors, Is.Empty, "no errors in the page's console (CSP violations included)");
    }
}
