using System.Text;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.Tests.Shared;

/// <summary>
/// What every <see cref="IMessageStore"/> must do, run against each implementation (memory, folder, PostgreSQL): a
/// fixture derives from this and says how to make an empty store. The HTTP API, the fixture and the compatible APIs
/// rely on exactly these behaviours, so a store that passes can be swapped in without touching them.
/// </summary>
public abstract class MessageStoreContract
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IMessageStore> CreateAsync();

    [Test]
    public async Task A_saved_message_comes_back_whole_with_its_envelope()
    {
        await using var store = await CreateAsync();
        var content = Mail("Hello", "Body text\r\n");
        var saved = await SaveAsync(store, "m1", "alice@example.test", ["bob@example.test", "carol@example.test"], content, Start);

        var found = await store.GetAsync("m1", CancellationToken.None);

        Assert.That(found, Is.Not.Null);
        Assert.That(Encoding.UTF8.GetString(found!.Raw.Span), Is.EqualTo(content));
        Assert.That(found.Size, Is.EqualTo(saved.Size));
        Assert.That(found.Sender.Address, Is.EqualTo("alice@example.test"));
        Assert.That(found.Recipients.Select(r => r.Address), Is.EqualTo(new[] { "bob@example.test", "carol@example.test" }));
        Assert.That(found.ReceivedAt, Is.EqualTo(Start));
        Assert.That(found.Summary.Subject, Is.EqualTo("Hello"));
        Assert.That(found.Read, Is.False);
        Assert.That(await store.GetAsync("nope", CancellationToken.None), Is.Null);
        Assert.That(await store.CountAsync(CancellationToken.None), Is.EqualTo(new StoreCounts(1, 1)));
        Assert.That(store.TotalCaptured, Is.EqualTo(1));
    }

    [Test]
    public async Task Pages_go_newest_first_and_continue_after_a_cursor_while_new_mail_arrives()
    {
        await using var store = await CreateAsync();
        for (var i = 0; i < 5; i++)
        {
            await SaveAsync(store, $"m{i}", "a@example.test", ["b@example.test"], Mail($"n{i}", "x\r\n"), Start.AddMinutes(i));
        }

        var first = await store.QueryAsync(new MessageQuery { Limit = 2 }, CancellationToken.None);
        Assert.That(first.Items.Select(m => m.Id), Is.EqualTo(new[] { "m4", "m3" }));
        Assert.That(first.Matched, Is.EqualTo(5));
        Assert.That(first.NextCursor, Is.EqualTo("m3"));

        // A message arriving between pages does not shift the next page.
        await SaveAsync(store, "m5", "a@example.test", ["b@example.test"], Mail("n5", "x\r\n"), Start.AddMinutes(5));
        var second = await store.QueryAsync(new MessageQuery { Limit = 2, After = first.NextCursor }, CancellationToken.None);
        Assert.That(second.Items.Select(m => m.Id), Is.EqualTo(new[] { "m2", "m1" }));

        var last = await store.QueryAsync(new MessageQuery { Limit = 2, After = second.NextCursor }, CancellationToken.None);
        Assert.That(last.Items.Select(m => m.Id), Is.EqualTo(new[] { "m0" }));
        Assert.That(last.NextCursor, Is.Null);

        var skipped = await store.QueryAsync(new MessageQuery { Skip = 4, Limit = 10, OldestFirst = true }, CancellationToken.None);
        Assert.That(skipped.Items.Select(m => m.Id), Is.EqualTo(new[] { "m4", "m5" }));
    }

    [Test]
    public async Task Terms_select_by_envelope_headers_body_tags_time_and_read_state()
    {
        await using var store = await CreateAsync();
        await SaveAsync(store, "signup", "app@example.test", ["new+signup@example.test"], Mail("Welcome aboard", "Click to confirm\r\n", "X-Tags: onboarding, Tenant A\r\n"), Start);
        await SaveAsync(store, "invoice", "billing@example.test", ["bob@example.test"], Mail("Your invoice", "Amount due: 12 EUR\r\n"), Start.AddHours(1));
        await SaveAsync(store, "html", "news@example.test", ["carol@example.test"], HtmlMail("Newsletter", "<p>Big <b>sale</b> today</p>"), Start.AddHours(2));

        async Task<string[]> Ids(params QueryTerm[] terms) =>
            [.. (await store.QueryAsync(new MessageQuery { Terms = terms, OldestFirst = true }, CancellationToken.None)).Items.Select(m => m.Id)];

        Assert.That(await Ids(new QueryTerm(QueryField.Recipient, "BOB@")), Is.EqualTo(new[] { "invoice" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Sender, "billing")), Is.EqualTo(new[] { "invoice" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Subject, "welcome")), Is.EqualTo(new[] { "signup" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Text, "news@")), Is.EqualTo(new[] { "html" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Body, "amount due")), Is.EqualTo(new[] { "invoice" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Body, "big sale")), Is.EqualTo(new[] { "html" }), "an HTML body is searched as its text");
        Assert.That(await Ids(new QueryTerm(QueryField.Raw, "<B>SALE</b>")), Is.EqualTo(new[] { "html" }), "the content as it came, markup and all");
        Assert.That(await Ids(new QueryTerm(QueryField.Raw, "x-tags: onboarding")), Is.EqualTo(new[] { "signup" }), "headers are content too");
        Assert.That(await Ids(new QueryTerm(QueryField.Tag, "signup")), Is.EqualTo(new[] { "signup" }), "a plus-address label is a tag");
        Assert.That(await Ids(new QueryTerm(QueryField.Tag, "tenant a")), Is.EqualTo(new[] { "signup" }), "X-Tags, any case");
        Assert.That(await Ids(new QueryTerm(QueryField.Since, Start.AddMinutes(30).ToString("O"))), Is.EqualTo(new[] { "invoice", "html" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Before, Start.AddMinutes(30).ToString("O"))), Is.EqualTo(new[] { "signup" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Subject, "invoice", Negated: true)), Is.EqualTo(new[] { "signup", "html" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Recipient, "example.test"), new QueryTerm(QueryField.Subject, "news")), Is.EqualTo(new[] { "html" }));

        await store.SetReadAsync(["invoice"], read: true, CancellationToken.None);
        Assert.That(await Ids(new QueryTerm(QueryField.Read, "false")), Is.EqualTo(new[] { "signup", "html" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Read, "true")), Is.EqualTo(new[] { "invoice" }));
    }

    [Test]
    public async Task Mailpit_terms_select_by_content_any_address_tags_and_size()
    {
        await using var store = await CreateAsync();
        await SaveAsync(store, "plain", "app@example.test", ["bob@example.test"], Mail("Monthly report", "Numbers\r\n  across   lines\r\n", "Cc: Audit Team <audit@example.test>\r\nX-Tags: reports\r\n"), Start);
        await SaveAsync(store, "html", "news@example.test", ["carol@example.test"], HtmlMail("Newsletter", "<p>Big <b>sale</b> (today)</p>" + new string('x', 2000)), Start.AddHours(1));

        async Task<string[]> Ids(params QueryTerm[] terms) =>
            [.. (await store.QueryAsync(new MessageQuery { Terms = terms, OldestFirst = true }, CancellationToken.None)).Items.Select(m => m.Id)];

        Assert.That(await Ids(new QueryTerm(QueryField.Content, "ACROSS LINES")), Is.EqualTo(new[] { "plain" }), "whitespace runs are one space, any case");
        Assert.That(await Ids(new QueryTerm(QueryField.Content, "sale today")), Is.EqualTo(new[] { "html" }), "an HTML body as its text; ( ) count as spaces");
        Assert.That(await Ids(new QueryTerm(QueryField.Content, "audit team")), Is.EqualTo(new[] { "plain" }), "header names are searched");
        Assert.That(await Ids(new QueryTerm(QueryField.Content, "news@example.test")), Is.EqualTo(new[] { "html" }), "the envelope sender is searched");
        Assert.That(await Ids(new QueryTerm(QueryField.Addressed, "audit@")), Is.EqualTo(new[] { "plain" }), "Cc counts as addressed");
        Assert.That(await Ids(new QueryTerm(QueryField.Addressed, "audit@", Negated: true)), Is.EqualTo(new[] { "html" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Tagged, "true")), Is.EqualTo(new[] { "plain" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Tagged, "false")), Is.EqualTo(new[] { "html" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Larger, "1000")), Is.EqualTo(new[] { "html" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Smaller, "1000")), Is.EqualTo(new[] { "plain" }));
        Assert.That(await Ids(new QueryTerm(QueryField.Larger, "1000"), new QueryTerm(QueryField.Smaller, "1000")), Is.Empty);
        Assert.That(await Ids(new QueryTerm(QueryField.Content, "\"across\nlines\"")), Is.EqualTo(new[] { "plain" }), "quotes and a line break in the word are spaces too");
    }

    [Test]
    public async Task A_generated_message_keeps_its_origin_and_is_found_from_the_message_it_is_about()
    {
        await using var store = await CreateAsync();
        await SaveAsync(store, "orig", "app@example.test", ["nobody@example.test"], Mail("Order", "x\r\n"), Start);
        await SaveAsync(store, "bounce", "mailer-daemon@example.test", ["app@example.test"], Mail("Undelivered", "x\r\n"), Start.AddSeconds(1), new MessageOrigin("bounce", "orig"));
        await SaveAsync(store, "reply", "nobody@example.test", ["app@example.test"], Mail("Away", "x\r\n"), Start.AddSeconds(2), new MessageOrigin("auto-reply", "orig"));
        await SaveAsync(store, "other", "app@example.test", ["x@example.test"], Mail("Other", "x\r\n"), Start.AddSeconds(3), new MessageOrigin("complaint", "elsewhere"));

        async Task<string[]> Ids(params QueryTerm[] terms) =>
            [.. (await store.QueryAsync(new MessageQuery { Terms = terms, OldestFirst = true }, CancellationToken.None)).Items.Select(m => m.Id)];

        Assert.That((await store.GetAsync("bounce", CancellationToken.None))!.Origin, Is.EqualTo(new MessageOrigin("bounce", "orig")));
        Assert.That((await store.GetAsync("orig", CancellationToken.None))!.Origin, Is.Null, "what a client sent has no origin");
        Assert.That(await Ids(new QueryTerm(QueryField.GeneratedFrom, "orig")), Is.EqualTo(new[] { "bounce", "reply" }));
        Assert.That(await Ids(new QueryTerm(QueryField.GeneratedFrom, "ORIG")), Is.Empty, "an id, exactly");
        Assert.That(await Ids(new QueryTerm(QueryField.GeneratedFrom, "orig", Negated: true)), Is.EqualTo(new[] { "orig", "other" }));
        var listed = (await store.QueryAsync(new MessageQuery { Terms = [new QueryTerm(QueryField.Id, "reply")] }, CancellationToken.None)).Items.Single();
        Assert.That(listed.Origin, Is.EqualTo(new MessageOrigin("auto-reply", "orig")), "a list carries the origin too");
    }

    [Test]
    public async Task Read_state_and_tags_change_and_each_change_is_announced()
    {
        await using var store = await CreateAsync();
        await SaveAsync(store, "m1", "a@example.test", ["b+one@example.test"], Mail("s", "x\r\n"), Start);
        await SaveAsync(store, "m2", "a@example.test", ["b@example.test"], Mail("s", "x\r\n"), Start.AddSeconds(1));
        var changes = new List<StoreChange>();
        store.Changed += change =>
        {
            lock (changes)
            {
                changes.Add(change);
            }
        };

        await store.SetReadAsync(["m1"], read: true, CancellationToken.None);
        Assert.That((await store.GetAsync("m1", CancellationToken.None))!.Read, Is.True);
        Assert.That(await store.CountAsync(CancellationToken.None), Is.EqualTo(new StoreCounts(2, 1)));

        await store.SetReadAsync(null, read: true, CancellationToken.None);
        Assert.That(await store.CountAsync(CancellationToken.None), Is.EqualTo(new StoreCounts(2, 0)));

        await store.SetTagsAsync(["m1", "m2"], ["Release 2", "urgent!", "release 2"], CancellationToken.None);
        Assert.That((await store.GetAsync("m2", CancellationToken.None))!.Tags, Is.EqualTo(new[] { "Release 2", "urgent" }), "cleaned as Mailpit cleans them, once in any case");
        Assert.That(await store.TagsAsync(CancellationToken.None), Is.EqualTo(new[] { new TagCount("Release 2", 2), new TagCount("urgent", 2) }));

        await store.SetTagsAsync(["m2"], [], CancellationToken.None);
        Assert.That((await store.GetAsync("m2", CancellationToken.None))!.Tags, Is.Empty);

        await Until(() =>
        {
            lock (changes)
            {
                return changes.Count(c => c.Kind == StoreChangeKind.Updated) >= 5;
            }
        });
        lock (changes)
        {
            Assert.That(changes.Where(c => c.Kind == StoreChangeKind.Updated).Select(c => c.Message?.Id ?? c.Id), Has.Member("m1").And.Member("m2"));
        }
    }

    [Test]
    public async Task Deleting_one_a_selection_or_all_deletes_exactly_those()
    {
        await using var store = await CreateAsync();
        await SaveAsync(store, "keep", "a@example.test", ["keep@example.test"], Mail("keep", "x\r\n"), Start);
        await SaveAsync(store, "drop1", "a@example.test", ["drop@example.test"], Mail("drop", "x\r\n"), Start.AddSeconds(1));
        await SaveAsync(store, "drop2", "a@example.test", ["drop@example.test"], Mail("drop", "x\r\n"), Start.AddSeconds(2));
        var kinds = new List<StoreChangeKind>();
        store.Changed += change =>
        {
            lock (kinds)
            {
                kinds.Add(change.Kind);
            }
        };

        Assert.That(await store.DeleteAsync("drop1", CancellationToken.None), Is.True);
        Assert.That(await store.DeleteAsync("drop1", CancellationToken.None), Is.False);
        Assert.That(await store.DeleteAsync(MessageQuery.All.With(QueryField.Recipient, "drop@"), CancellationToken.None), Is.EqualTo(1));
        Assert.That((await store.ListAsync()).Select(m => m.Id), Is.EqualTo(new[] { "keep" }));

        Assert.That(await store.DeleteAsync(MessageQuery.All, CancellationToken.None), Is.EqualTo(1));
        Assert.That(await store.CountAsync(CancellationToken.None), Is.EqualTo(new StoreCounts(0, 0)));
        await Until(() =>
        {
            lock (kinds)
            {
                return kinds.Contains(StoreChangeKind.Cleared) && kinds.Count(k => k == StoreChangeKind.Removed) >= 2;
            }
        });
    }

    [Test]
    public async Task A_wait_sees_a_message_saved_after_it_began_and_one_saved_before()
    {
        await using var store = await CreateAsync();
        await SaveAsync(store, "early", "a@example.test", ["x@example.test"], Mail("early", "x\r\n"), Start);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        Assert.That((await store.WaitForAsync(m => m.Summary.Subject == "early", deadline.Token)).Id, Is.EqualTo("early"));
        var later = store.WaitForAsync(m => m.Summary.Subject == "later", deadline.Token);
        Assert.That(later.IsCompleted, Is.False);
        await SaveAsync(store, "later", "a@example.test", ["x@example.test"], Mail("later", "x\r\n"), Start.AddSeconds(1));
        Assert.That((await later).Id, Is.EqualTo("later"));
    }

    [Test]
    public async Task A_message_of_many_megabytes_is_kept_octet_for_octet()
    {
        await using var store = await CreateAsync();
        var body = new StringBuilder();
        for (var i = 0; body.Length < 6 * 1024 * 1024; i++)
        {
            body.Append(CultureInfo(i)).Append(" lorem ipsum dolor sit amet, consectetur adipiscing elit\r\n");
        }

        var content = Mail("big", body.ToString());
        await SaveAsync(store, "big", "a@example.test", ["b@example.test"], content, Start);

        var found = await store.GetAsync("big", CancellationToken.None);
        Assert.That(found!.Size, Is.EqualTo(Encoding.UTF8.GetByteCount(content)));
        using var stream = found.OpenContent();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(Encoding.UTF8.GetBytes(content)));
        Assert.That(found.Summary.Subject, Is.EqualTo("big"));
    }

    /// <summary>Writes <paramref name="content"/> through the store's own writer and saves it, as a session does.</summary>
    protected static async Task<CapturedMessage> SaveAsync(IMessageStore store, string id, string from, string[] to, string content, DateTimeOffset at, MessageOrigin? origin = null)
    {
        var writer = store.CreateWriter();
        var bytes = Encoding.UTF8.GetBytes(content);
        for (var offset = 0; offset < bytes.Length; offset += 8192)
        {
            // In pieces, as DATA arrives.
            var piece = bytes.AsSpan(offset, Math.Min(8192, bytes.Length - offset));
            piece.CopyTo(writer.GetSpan(piece.Length));
            writer.Advance(piece.Length);
        }

        var envelope = new MessageEnvelope(id, 1, at, "127.0.0.1:40000", "client.example.test", PathOf(from), [], [.. to.Select(t => new Recipient(PathOf(t), []))]) { Origin = origin };
        var saved = await store.SaveAsync(envelope, writer, CancellationToken.None);
        writer.Dispose();
        return saved;
    }

    protected static string Mail(string subject, string body, string extraHeaders = "") =>
        $"From: Sender <sender@example.test>\r\nTo: Someone <someone@example.test>\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@example.test>\r\n{extraHeaders}\r\n{body}";

    protected static string HtmlMail(string subject, string html) =>
        $"From: sender@example.test\r\nTo: someone@example.test\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n";

    protected static MailPath PathOf(string address)
    {
        var at = address.LastIndexOf('@');
        return new MailPath(address[..at], address[(at + 1)..], null);
    }

    /// <summary>Waits for a condition with a deadline (a shared store announces changes from another thread).</summary>
    protected static Task Until(Func<bool> condition) => Poll.UntilAsync(condition, TimeSpan.FromSeconds(10), "the store's change");

    private static string CultureInfo(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
