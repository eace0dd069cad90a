using SmtpMock.EndToEnd.Tests.Hostile;

namespace SmtpMock.EndToEnd.Tests.Security;

/// <summary>STARTTLS and the implicit TLS port over real sockets: real handshakes, hostile ones, the injection case.</summary>
[TestFixture]
public sealed class StartTlsWireTests
{
    [Test]
    public async Task A_command_written_with_starttls_is_never_answered_before_or_after_the_handshake()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TlsLineClient.ConnectAsync(server.EndPoint);
        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("220 "));
        Assert.That((await client.CommandAsync("EHLO inject.test"))[^1], Does.StartWith("250 "));

        // CVE-2011-0411: one write, STARTTLS and a command behind it.
        await client.WriteAsync("STARTTLS\r\nNOOP\r\n");
        Assert.That((await client.ReadReplyAsync()).Single(), Is.EqualTo("220 2.0.0 Ready to start TLS"));
        await client.StartTlsAsync(server.TlsCertificate!);

        // The first reply over TLS is EHLO's: no "250 2.0.0 OK" for the NOOP came before it.
        var ehlo = await client.CommandAsync("EHLO inject.test");
        Assert.That(ehlo[0], Is.EqualTo("250-mock.test greets inject.test"));
        Assert.That(ehlo, Has.None.EqualTo("250-STARTTLS"));
        Assert.That(await client.CommandAsync("QUIT"), Has.Exactly(1).StartsWith("221 "));

        var session = await server.WaitForSessionAsync(1);
        Assert.That(session.ClientLines(), Has.None.EqualTo("NOOP"));
        Assert.That(session.Tls?.Protocol, Is.AnyOf("TLSv1.2", "TLSv1.3"));
        Assert.That(session.Transcript.Lines.Select(l => l.Text), Has.Some.StartsWith("6 plaintext octets sent after STARTTLS discarded"));
    }

    [Test]
    public async Task A_garbage_handshake_ends_only_its_session_while_another_carries_on()
    {
        await using var server = await TestServer.StartAsync();
        await using var hostile = await TlsLineClient.ConnectAsync(server.EndPoint);
        await hostile.ReadReplyAsync();
        Assert.That((await hostile.CommandAsync("STARTTLS")).Single(), Does.StartWith("220 2.0.0"));
        await hostile.WriteAsync("this is not a TLS ClientHello\r\n" + new string('x', 2000) + "\r\n");

        await server.AssertBystanderServedAsync("garbage-tls");
        Assert.That(await hostile.ReadLineAsync(), Is.Null, "the server closes a failed handshake without a reply");
        var ended = await server.WaitForSessionAsync(1);
        Assert.That(ended.EndReason, Is.EqualTo("TLS handshake failed"));
        Assert.That(ended.Transcript.Lines.Select(l => l.Text), Has.Some.StartsWith("TLS handshake failed: "));
    }

    [Test]
    public async Task A_client_that_never_starts_the_handshake_is_cut_off_by_the_command_timeout()
    {
        await using var server = await TestServer.StartAsync(o => o with { CommandTimeout = TimeSpan.FromSeconds(1) });
        await using var silent = await TlsLineClient.ConnectAsync(server.EndPoint);
        await silent.ReadReplyAsync();
        Assert.That((await silent.CommandAsync("STARTTLS")).Single(), Does.StartWith("220 2.0.0"));

        var ended = await server.WaitForSessionAsync(1);
        Assert.That(ended.Transcript.Lines.Select(l => l.Text), Has.Some.EqualTo("TLS handshake failed: no handshake within 1 s"));
        await server.AssertBystanderServedAsync("silent-tls");
    }

    [Test]
    public async Task The_implicit_tls_port_greets_over_tls_and_refuses_starttls()
    {
        await using var server = await TestServer.StartAsync(o => o with { ImplicitTlsPort = 0 });
        Assert.That(server.TlsEndPoint, Is.Not.Null);
        await using var client = await TlsLineClient.ConnectAsync(server.TlsEndPoint!);
        await client.StartTlsAsync(server.TlsCertificate!);

        Assert.That((await client.ReadReplyAsync()).Single(), Does.StartWith("220 mock.test ESMTP"));
        var ehlo = await client.CommandAsync("EHLO implicit.test");
        Assert.That(ehlo, Has.None.Contains("STARTTLS"));
        Assert.That(ehlo[^1], Is.EqualTo("250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2"));
        Assert.That((await client.CommandAsync("STARTTLS")).Single(), Does.StartWith("503 5.5.1"));
        Assert.That(await client.CommandAsync("QUIT"), Has.Exactly(1).StartsWith("221 "));
        var session = await server.WaitForSessionAsync(1);
        Assert.That(session.IsSecure, Is.True);
        Assert.That(session.Transcript.Lines.Select(l => l.Text), Has.Some.Matches(@"^TLS started on connect: TLSv1\.[23] TLS_"));
    }

    [Test]
    public async Task Plaintext_on_the_implicit_tls_port_ends_that_session_and_the_plain_port_goes_on()
    {
        await using var server = await TestServer.StartAsync(o => o with { ImplicitTlsPort = 0 });
        await using var confused = await TlsLineClient.ConnectAsync(server.TlsEndPoint!);
        await confused.WriteAsync("EHLO plaintext.test\r\n");

        Assert.That(await confused.ReadLineAsync(), Is.Null);
        var ended = await server.WaitForSessionAsync(1);
        Assert.That(ended.EndReason, Is.EqualTo("TLS handshake failed"));
        await server.AssertBystanderServedAsync("implicit-plaintext");
    }

    [Test]
    public async Task Without_tls_starttls_is_not_offered_and_gets_502()
    {
        await using var server = await TestServer.StartAsync(o => o with { EnableTls = false });
        await using var client = await WireClient.ConnectAndGreetAsync(server.EndPoint, null);
        var ehlo = await client.CommandAsync("EHLO off.test");
        Assert.That(ehlo, Has.None.Contains("STARTTLS"));
        Assert.That(server.TlsCertificate, Is.Null);
        await client.WriteAsync("STARTTLS\r\nNOOP\r\n");
        Assert.That((await client.ReadReplyAsync()).Single(), Is.EqualTo("502 5.5.1 Command not implemented"));
        Assert.That((await client.ReadReplyAsync()).Single(), Is.EqualTo("250 2.0.0 OK"));
    }

    [Test]
    public void A_tls_port_without_tls_is_refused_with_a_clear_message()
    {
        var problems = TestServer.Options(o => o with { EnableTls = false, ImplicitTlsPort = 0 }).Validate();
        Assert.That(problems, Does.Contain("a TLS port needs TLS enabled"));
    }
}
