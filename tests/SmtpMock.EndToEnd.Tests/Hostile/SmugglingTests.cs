using System.Text;
using SmtpMock.Protocol.Framing;
using SmtpMock.Server.Session;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// SMTP smuggling (CVE-2023-51764/65/66): an end-of-data look-alike inside DATA followed by a second, forged
/// transaction. Only CRLF.CRLF ends a message, so the forged transaction is content of the first message: one
/// reply, one message (or none with Reject), never two.
/// </summary>
[TestFixture]
public sealed class SmugglingTests
{
    private const string Smuggled =
        "MAIL FROM:<smuggled@evil.test>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nSubject: smuggled\r\n\r\nsmuggled body\r\n";

    private static readonly string[] Endings = ["\n.\n", "\n.\r\n", "\r.\r", "\r\n.\n", "\r\n\0.\r\n"];

    private static IEnumerable<TestCaseData> Cases() =>
        from policy in Enum.GetValues<BareLineEndingPolicy>()
        from ending in Endings
        select new TestCaseData(ending, policy).SetArgDisplayNames(Visible(ending), policy.ToString());

    [TestCaseSource(nameof(Cases))]
    public async Task A_fake_end_of_data_neither_ends_nor_splits_the_message(string ending, BareLineEndingPolicy policy)
    {
        await using var server = await TestServer.StartAsync(o => o with { BareLineEndingsInData = policy });
        await using var smuggler = await WireClient.ConnectAndGreetAsync(server.EndPoint, "smuggler.test");
        await smuggler.WriteAsync("MAIL FROM:<smuggler@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n");
        Assert.That((await smuggler.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
        Assert.That((await smuggler.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
        Assert.That((await smuggler.ReadReplyAsync()).Single(), Does.StartWith("354 "));

        await smuggler.WriteAsync("Subject: outer\r\n\r\nfirst part" + ending + Smuggled);

        // The smuggler is mid-DATA (as far as the server is concerned): others are served meanwhile.
        var bystander = await server.AssertBystanderServedAsync("smuggling");

        await smuggler.WriteAsync(".\r\n");
        var final = (await smuggler.ReadReplyAsync()).Single();
        var bare = !ending.Contains('\0');
        if (policy == BareLineEndingPolicy.Reject && bare)
        {
            Assert.That(final, Is.EqualTo("554 5.6.0 Message has bare CR or LF line endings"));
        }
        else
        {
            Assert.That(final, Does.StartWith("250 2.0.0 OK: queued as "));
        }

        // Exactly one reply to the whole payload: the next reply is the NOOP's, not a forged transaction's.
        Assert.That((await smuggler.CommandAsync("NOOP")).Single(), Is.EqualTo("250 2.0.0 OK"));
        Assert.That((await smuggler.CommandAsync("QUIT")).Single(), Does.StartWith("221 2.0.0"));

        var session = await server.WaitForSessionAsync(1, "smuggler.test");
        Assert.That(session.ClientLines(), Has.None.Contains("smuggled@evil.test"), "the forged MAIL was never read as a command");
        Assert.That(server.Senders(), Has.None.EqualTo("smuggled@evil.test"));
        if (bare)
        {
            var policyName = policy.ToString().ToLowerInvariant();
            Assert.That(
                session.Transcript.Lines.Where(l => l.Direction == TranscriptDirection.Note).Select(l => l.Text),
                Has.Some.Contains($"bare CR/LF ({policyName}; they never end the message)"),
                "the transcript says what was done with the bare line endings");
        }

        if (final.StartsWith("554", StringComparison.Ordinal))
        {
            Assert.That(server.Messages.Ids(), Is.EqualTo(new[] { bystander }), "a rejected message is not captured");
            return;
        }

        var id = TestServer.QueuedId(final);
        Assert.That(server.Messages.Ids(), Is.EquivalentTo(new[] { bystander, id }));
        var raw = Encoding.ASCII.GetString(server.Messages.Find(id)!.Raw.Span);
        Assert.That(raw, Does.StartWith("Subject: outer\r\n\r\nfirst part"));
        Assert.That(raw, Does.EndWith("MAIL FROM:<smuggled@evil.test>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nSubject: smuggled\r\n\r\nsmuggled body\r\n"));
        if (policy == BareLineEndingPolicy.Normalize)
        {
            Assert.That(raw.Replace("\r\n", string.Empty, StringComparison.Ordinal), Does.Not.Contain('\r').And.Not.Contain('\n'), "every bare CR and LF was stored as CRLF");
        }
    }

    private static string Visible(string ending) =>
        ending.Replace("\r", "CR", StringComparison.Ordinal).Replace("\n", "LF", StringComparison.Ordinal).Replace("\0", "NUL", StringComparison.Ordinal);
}
