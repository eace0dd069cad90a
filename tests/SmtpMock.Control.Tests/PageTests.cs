using Microsoft.Playwright;
using MimeKit;

namespace SmtpMock.Control.Tests;

/// <summary>
/// The web page in headless Chromium (Debian's chromium package, driven by Playwright): a message sent from the page's
/// form is listed, its session shows the injected 503 highlighted with its rule, the editor marks a problem's line,
/// and messages are deleted one at a time or all at once.
/// </summary>
public sealed class PageTests : ControlFixture
{
    private const string Chromium = "/usr/bin/chromium";

    private const string SecondRcpt503 = """
        name: second-rcpt-503
        description: the second recipient of each message is refused
        rules:
          - name: second-rcpt
            on: RCPT
            when:
              nth: 2
              per: transaction
            reply: 503
        """;

    [Test]
    public async Task Page_lists_a_sent_message_shows_the_injected_503_with_its_rule_and_marks_a_yaml_problem_at_its_line()
    {
        if (!File.Exists(Chromium))
        {
            if (Environment.GetEnvironmentVariable("SMTPMOCK_REQUIRE_TOOLS") == "1")
            {
                Assert.Fail($"{Chromium} is missing: apt-get install -y chromium");
            }

            Assert.Ignore($"{Chromium} is missing (apt-get install -y chromium)");
        }

        using (var put = await Http.PutAsync("api/v1/scenario", new StringContent(SecondRcpt503)))
        {
            Assert.That(put.IsSuccessStatusCode, Is.True);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        page.SetDefaultTimeout((float)Deadline.TotalMilliseconds);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // The refused PUT is a 400 on purpose; anything else (a CSP refusal, a script error, a 404) is a bug.
            if (message.Type == "error" && !message.Text.Contains("status of 400", StringComparison.Ordinal))
            {
                errors.Add(message.Text);
            }
        };
        await page.GotoAsync(Control.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("live");

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
        await Screenshot(page, "page-session.png");

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

        // The retries view groups the attempt by client key and names the rule that refused the second recipient.
        await page.ClickAsync("nav button[data-tab=clients]");
        var refused = page.Locator("#client-groups section", new PageLocatorOptions { HasText = "second@example.test" });
        await Assertions.Expect(refused.Locator("tr.injected .rule")).ToHaveTextAsync("rule second-rcpt");

        // The scenario view shows the hit count; a broken edit is refused with the problem at its line.
        await page.ClickAsync("nav button[data-tab=scenario]");
        await Assertions.Expect(page.Locator("#rule-table tbody td.count")).ToHaveTextAsync("1");
        await page.FillAsync("#yaml", "name: broken\nrules:\n  - name: x\n    on: RCPT\n    reply: 999\n");
        await page.ClickAsync("#scenario-apply");
        await Assertions.Expect(page.Locator("#yaml-gutter span.bad")).ToHaveAttributeAsync("data-line", "5");
        await Assertions.Expect(page.Locator("#yaml-problems li")).ToContainTextAsync("line 5");
        Assert.That(Server.Scenarios.Active?.Name, Is.EqualTo("second-rcpt-503"), "the refused edit left the old scenario active");
        await Screenshot(page, "page-scenario.png");

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
        string? promptAnswer = null;
        // A prompt accepted without text answers "" in Playwright, not the offered value as a user's OK would.
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync(promptAnswer ?? dialog.DefaultValue);
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

        // "Release…" asks for the recipients (the message's own, offered) and says what happened: without --relay, how
        // to turn it on (ReleaseApiTests covers a real relay).
        await page.Locator("#message-list li", new PageLocatorOptions { HasText = "Bulk 201" }).ClickAsync();
        // A cleared field sends nothing (to the API, no 'to' means the message's own recipients).
        promptAnswer = " , ";
        await page.ClickAsync("#message-view button.release");
        await Assertions.Expect(page.Locator("#message-view pre.released")).ToHaveTextAsync("Nothing released: no address given.");
        promptAnswer = null;
        await page.ClickAsync("#message-view button.release");
        await Assertions.Expect(page.Locator("#message-view pre.released")).ToContainTextAsync("start smtpmock with --relay HOST[:PORT]");

        // Phone width: one column, nothing wider than the screen.
        await page.SetViewportSizeAsync(390, 800);
        await page.ClickAsync("nav button[data-tab=sessions]");
        Assert.That(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(390));
        // The browser reports every refused request; the one refused on purpose above (release without a relay) is not an error of the page's.
        Assert.That(errors.Where(e => !e.Contains("status of 409 (Conflict)", StringComparison.Ordinal)), Is.Empty, "no errors in the page's console (CSP violations included)");
        Assert.That(errors.Count(e => e.Contains("status of 409 (Conflict)", StringComparison.Ordinal)), Is.EqualTo(1), "the one refused release");
    }

    /// <summary>Into the test output always; into docs/img for the README when SMTPMOCK_UPDATE_SCREENSHOTS=1.</summary>
    private static async Task Screenshot(IPage page, string name)
    {
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = false });
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
}
