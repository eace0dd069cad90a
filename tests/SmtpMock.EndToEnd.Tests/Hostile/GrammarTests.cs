namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// PROTOCOL.md's grammar and framing entries over a real socket: each broken line gets its one reply, the session
/// goes on, and another client is served meanwhile.
/// </summary>
[TestFixture]
public sealed class GrammarTests
{
    /// <summary>(what comes before the line, the line, the reply it gets).</summary>
    private static IEnumerable<TestCaseData> Lines()
    {
        const string mail = "MAIL FROM:<a@example.com>";
        yield return Case("empty line", null, string.Empty, "500 5.5.2 Empty command");
        yield return Case("FOOBAR", null, "FOOBAR", "500 5.5.2 Command unrecognized");
        yield return Case("MAIL to <@x>", null, "MAIL FROM:<@x>", "501 5.1.7");
        yield return Case("MAIL to <u@>", null, "MAIL FROM:<u@>", "501 5.1.7");
        yield return Case("RCPT to <@x>", mail, "RCPT TO:<@x>", "501 5.1.3");
        yield return Case("RCPT to <u@>", mail, "RCPT TO:<u@>", "501 5.1.3");
        yield return Case("null sender", null, "MAIL FROM:<>", "250 2.1.0");
        yield return Case("source route", mail, "RCPT TO:<@a.example,@b.example:u@c.example>", "250 2.1.5");
        yield return Case("Postmaster", mail, "RCPT TO:<Postmaster>", "250 2.1.5");
        yield return Case("FOO=BAR", null, "MAIL FROM:<a@example.com> FOO=BAR", "555 5.5.4");
        yield return Case("BODY=X", null, "MAIL FROM:<a@example.com> BODY=X", "501 5.5.4");
        yield return Case("DATA x", mail + "\r\nRCPT TO:<b@example.org>", "DATA x", "501 5.5.4");
        yield return Case("RSET x", null, "RSET x", "501 5.5.4");
        yield return Case("QUIT x", null, "QUIT x", "501 5.5.4");
        yield return Case("NOOP x", null, "NOOP x", "250 2.0.0");
        yield return Case("HELO without domain", null, "HELO", "501 5.5.4");
        yield return Case("EHLO without domain", null, "EHLO", "501 5.5.4");
        yield return Case("nested MAIL", mail, mail, "503 5.5.1");
        yield return Case("STARTTLS with an argument", null, "STARTTLS now", "501 5.5.4");
    }

    [TestCaseSource(nameof(Lines))]
    public async Task A_broken_line_gets_its_one_reply_and_the_session_goes_on(string? before, string line, string expected)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await WireClient.ConnectAndGreetAsync(server.EndPoint, "grammar.test");
        foreach (var setup in (before ?? string.Empty).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.That((await client.CommandAsync(setup)).Single(), Does.StartWith("250 "), setup);
        }

        var reply = await client.CommandAsync(line);
        Assert.That(reply.Single(), Does.StartWith(expected + " ").Or.EqualTo(expected));

        await server.AssertBystanderServedAsync("grammar");
        Assert.That((await client.CommandAsync("RSET")).Single(), Is.EqualTo("250 2.0.0 Reset OK"));
        await server.AssertTransactionAsync(client, "after-grammar");
    }

    [Test]
    public async Task Bare_lf_commands_are_accepted_by_default_and_refused_with_strict_line_endings()
    {
        await using (var lenient = await TestServer.StartAsync())
        {
            await using var client = await WireClient.ConnectAndGreetAsync(lenient.EndPoint, "lenient.test");
            await client.WriteAsync("NOOP\n");
            Assert.That((await client.ReadReplyAsync()).Single(), Is.EqualTo("250 2.0.0 OK"));
        }

        await using var strict = await TestServer.StartAsync(o => o with { StrictLineEndings = true });
        await using var hostile = await WireClient.ConnectAndGreetAsync(strict.EndPoint, "strict.test");
        await hostile.WriteAsync("MAIL FROM:<a@example.com>\n");
        Assert.That((await hostile.ReadReplyAsync()).Single(), Is.EqualTo("500 5.5.2 Command line must end with CRLF"));
        await strict.AssertBystanderServedAsync("strict");
        Assert.That((await hostile.CommandAsync("RCPT TO:<b@example.org>")).Single(), Does.StartWith("503 5.5.1"), "the refused MAIL was not taken");
        await strict.AssertTransactionAsync(hostile, "after-bare-lf");
    }

    private static TestCaseData Case(string name, string? before, string line, string expected) =>
        new TestCaseData(before, line, expected).SetArgDisplayNames(name);
}
