using System.Text;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// Clients that do not wait for their turn: an HTTP client on the SMTP port (421 4.7.0, then the close), and an
/// SMTP client that talks before the greeting (it still gets the 220 first, then every reply in order).
/// </summary>
[TestFixture]
public sealed class WrongProtocolTests
{
    [TestCase("GET / HTTP/1.1\r\nHost: 127.0.0.1:2525\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n", TestName = "Curl_GET")]
    [TestCase("GET / HTTP/1.1\r\n", TestName = "Request_line_only")]
    [TestCase("POST /api/send HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}", TestName = "POST_with_a_body")]
    [TestCase("HEAD /favicon.ico HTTP/1.1\n", TestName = "HEAD_with_bare_LF")]
    public async Task Http_on_the_smtp_port_gets_421_and_the_close(string request)
    {
        await using var server = await TestServer.StartAsync();
        await using var browser = await WireClient.ConnectAsync(server.EndPoint);

        // An HTTP client writes at once, without waiting for a greeting.
        await browser.WriteAsync(request);
        var everything = await browser.ReadUntilClosedAsync();

        var greeting = everything.Split("\r\n")[0];
        Assert.That(greeting, Does.StartWith("220 mock.test ESMTP"));
        Assert.That(everything, Is.EqualTo(greeting + "\r\n421 4.7.0 This is an SMTP server, not HTTP; closing connection\r\n"));

        var session = await server.WaitForSessionAsync(1);
        Assert.That(session.EndReason, Is.EqualTo("closed after 421"));
        Assert.That(session.ClientLines(), Has.Count.EqualTo(1), "nothing after the request line was read as a command");
        await server.AssertBystanderServedAsync("http");
    }

    [Test]
    public async Task Http_mid_session_gets_421_and_the_close()
    {
        await using var server = await TestServer.StartAsync();
        await using var hostile = await WireClient.ConnectAndGreetAsync(server.EndPoint, "confused.test");

        Assert.That((await hostile.CommandAsync("GET /index.html HTTP/1.1")).Single(), Is.EqualTo("421 4.7.0 This is an SMTP server, not HTTP; closing connection"));
        Assert.That(await hostile.ReadUntilClosedAsync(), Is.Empty);
        await server.AssertBystanderServedAsync("http-mid-session");
    }

    [Test]
    public async Task A_client_talking_before_the_greeting_gets_the_220_first_and_every_reply_in_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var eager = await WireClient.ConnectAsync(server.EndPoint);

        const string content = "Subject: eager\r\n\r\nSent before the greeting was read.\r\n";
        await eager.WriteAsync(
            "EHLO eager.test\r\nMAIL FROM:<eager@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n" + content + ".\r\nNOOP\r\n");

        // Another client is served while the eager one's replies wait unread.
        await server.AssertBystanderServedAsync("eager");

        Assert.That((await eager.ReadReplyAsync()).Single(), Does.StartWith("220 mock.test ESMTP"));
        var ehlo = await eager.ReadReplyAsync();
        Assert.That(ehlo[0], Is.EqualTo("250-mock.test greets eager.test"));
        Assert.That(ehlo[^1], Does.StartWith("250 "));
        Assert.That((await eager.ReadReplyAsync()).Single(), Is.EqualTo("250 2.1.0 Sender OK"));
        Assert.That((await eager.ReadReplyAsync()).Single(), Is.EqualTo("250 2.1.5 Recipient OK"));
        Assert.That((await eager.ReadReplyAsync()).Single(), Does.StartWith("354 "));
        var accepted = (await eager.ReadReplyAsync()).Single();
        Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "));
        Assert.That((await eager.ReadReplyAsync()).Single(), Is.EqualTo("250 2.0.0 OK"));

        var captured = await server.WaitForMessageAsync(m => m.Id == TestServer.QueuedId(accepted));
        Assert.That(captured.Raw.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(content)));
        Assert.That(captured.HeloName, Is.EqualTo("eager.test"));
    }
}
