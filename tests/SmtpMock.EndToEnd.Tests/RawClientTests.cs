using System.Text;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>What a person at telnet or netcat sees: the dialog byte by byte.</summary>
[TestFixture]
public sealed class RawClientTests : ServerFixture
{
    [Test]
    public async Task Greeting_is_220_with_the_hostname()
    {
        await using var client = await WireClient.ConnectAsync(Server.EndPoint);

        var greeting = await client.ReadReplyAsync();

        Assert.That(greeting, Has.Count.EqualTo(1));
        Assert.That(greeting[0], Does.StartWith("220 "));
        Assert.That(greeting[0], Does.StartWith("220 mock.test ESMTP SmtpMock "));
    }

    [Test]
    public async Task Ehlo_advertises_the_extensions()
    {
        await using var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint, ehlo: null);

        var reply = await client.CommandAsync("EHLO telnet.test");

        Assert.That(reply[0], Is.EqualTo("250-mock.test greets telnet.test"));
        Assert.That(reply.Take(reply.Count - 1), Has.All.StartsWith("250-"));
        Assert.That(reply[^1], Does.StartWith("250 "));
        var keywords = reply.Skip(1).Select(l => l[4..]).ToList();
        Assert.That(keywords, Is.SupersetOf(new[] { "PIPELINING", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING" }));
        Assert.That(keywords, Has.One.StartsWith("SIZE "));
    }

    [Test]
    public async Task Help_answers_with_214_lines()
    {
        await using var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint, ehlo: null);

        var reply = await client.CommandAsync("HELP");

        Assert.That(reply, Has.Count.GreaterThan(1));
        Assert.That(reply.Take(reply.Count - 1), Has.All.StartsWith("214-"));
        Assert.That(reply[^1], Does.StartWith("214 "));
        Assert.That(string.Join(" ", reply), Does.Contain("EHLO").And.Contain("BDAT"));
    }

    [Test]
    public async Task Mail_before_ehlo_is_out_of_sequence()
    {
        await using var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint, ehlo: null);

        var reply = await client.CommandAsync("MAIL FROM:<a@example.com>");

        Assert.That(reply.Single(), Does.StartWith("503 5.5.1"));
    }

    [Test]
    public async Task Rcpt_before_mail_is_out_of_sequence()
    {
        await using var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint);

        var reply = await client.CommandAsync("RCPT TO:<b@example.com>");

        Assert.That(reply.Single(), Does.StartWith("503 5.5.1"));
    }

    [Test]
    public async Task Data_before_rcpt_is_out_of_sequence()
    {
        await using var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint);
        Assert.That((await client.CommandAsync("MAIL FROM:<a@example.com>")).Single(), Does.StartWith("250 "));

        var reply = await client.CommandAsync("DATA");

        Assert.That(reply.Single(), Does.StartWith("503 5.5.1"));
        // The session is still usable: the transaction goes on after the refusal.
        Assert.That((await client.CommandAsync("RCPT TO:<b@example.com>")).Single(), Does.StartWith("250 "));
        Assert.That((await client.CommandAsync("DATA")).Single(), Does.StartWith("354 "));
    }

    [Test]
    public async Task Unknown_verb_is_500()
    {
        await using var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint);

        var reply = await client.CommandAsync("FROB something");

        Assert.That(reply.Single(), Does.StartWith("500 5.5.2"));
        Assert.That((await client.CommandAsync("NOOP")).Single(), Does.StartWith("250 "));
    }

    [Test]
    public async Task Full_dialog_with_bare_lf_commands_is_accepted()
    {
        await using var client = await WireClient.ConnectAsync(Server.EndPoint);
        Assert.That((await client.ReadReplyAsync())[0], Does.StartWith("220 "));

        // A terminal sends LF only; the server accepts that in commands (StrictLineEndings is off by default).
        await client.WriteAsync("EHLO telnet.test\n");
        Assert.That((await client.ReadReplyAsync())[^1], Does.StartWith("250 "));
        await client.WriteAsync("MAIL FROM:<a@example.com>\n");
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
        await client.WriteAsync("RCPT TO:<b@example.com>\n");
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
        await client.WriteAsync("DATA\n");
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("354 "));
        const string content = "Subject: typed by hand\r\n\r\nHello from a terminal.\r\n";
        await client.WriteAsync(content + ".\r\n");
        var accepted = (await client.ReadReplyAsync()).Single();
        Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "));
        await client.WriteAsync("QUIT\n");
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("221 2.0.0"));

        var id = TestServer.QueuedId(accepted);
        var captured = await Server.WaitForMessageAsync(m => m.Id == id);
        Assert.That(captured.Raw.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(content)));
        Assert.That(captured.HeloName, Is.EqualTo("telnet.test"));
        Assert.That(captured.Sender.Address, Is.EqualTo("a@example.com"));
        Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { "b@example.com" }));
        Assert.That(captured.Message.Subject, Is.EqualTo("typed by hand"));
    }

    [Test]
    public async Task Pipelined_commands_in_one_write_get_their_replies_in_order()
    {
        await using var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint);

        await client.WriteAsync("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n");

        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("354 "));

        const string content = "Subject: pipelined\r\n\r\nOne write, four replies.\r\n";
        var accepted = (await client.CommandAsync(content + ".")).Single();
        Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "));
        var id = TestServer.QueuedId(accepted);
        var captured = await Server.WaitForMessageAsync(m => m.Id == id);
        Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { "b@example.com", "c@example.com" }));
        Assert.That(captured.Raw.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(content)));
    }

    [Test]
    public async Task Quit_gets_221_and_the_server_closes_the_connection()
    {
        await using var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint);

        var reply = await client.CommandAsync("QUIT");

        Assert.That(reply.Single(), Does.StartWith("221 2.0.0"));
        Assert.That(await client.ReadUntilClosedAsync(), Is.Empty, "nothing after 221, then end of stream");
        var session = await Server.WaitForSessionAsync(1);
        Assert.That(session.EndReason, Is.EqualTo("QUIT"));
    }
}
