using SmtpMock.Cli.Commands.Codes;

namespace SmtpMock.Cli.Tests.Commands;

public class SendCommandTests
{
    [Test]
    public async Task Send_delivers_subject_body_and_attachment_and_prints_every_reply()
    {
        await using var server = await CommandRun.StartServerAsync();
        var attachment = Path.Combine(Path.GetTempPath(), $"smtpmock-attach-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(attachment, "attached text");
        try
        {
            var (exit, output, err) = await CommandRun.RunAsync(
                "send", "--port", server.EndPoint.Port.Text(), "--from", "alice@example.com", "--to", "bob@example.com",
                "--to", "carol@example.com", "--subject", "Hi there", "--body", "Body text.", "--attach", attachment);

            Assert.That(exit, Is.Zero, err);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines[0], Does.StartWith("220 localhost ESMTP SmtpMock"));
            Assert.That(lines, Has.Some.StartsWith("250-PIPELINING"));
            Assert.That(lines, Has.Exactly(2).StartsWith("250 2.1.5"));
            Assert.That(lines, Has.Some.StartsWith("250 2.0.0 OK: queued as"));
            Assert.That(lines[^1], Does.StartWith("221 2.0.0"));

            var captured = server.Messages.Messages.Single();
            Assert.That(captured.Sender.Address, Is.EqualTo("alice@example.com"));
            Assert.That(captured.Recipients.Select(r => r.Address), Is.EqualTo(new[] { "bob@example.com", "carol@example.com" }));
            Assert.That(captured.Message.Subject, Is.EqualTo("Hi there"));
            Assert.That(captured.Message.TextBody!.Trim(), Is.EqualTo("Body text."));
            Assert.That(captured.Message.Attachments.Single().ContentDisposition!.FileName, Is.EqualTo(Path.GetFileName(attachment)));
        }
        finally
        {
            File.Delete(attachment);
        }
    }

    [Test]
    public async Task Send_eml_sends_the_file_byte_for_byte_with_the_envelope_from_the_options()
    {
        await using var server = await CommandRun.StartServerAsync();
        var eml = Path.Combine(Path.GetTempPath(), $"smtpmock-send-{Guid.NewGuid():N}.eml");
        const string content = "From: someone@example.org\r\nTo: list@example.org\r\nSubject: from a file\r\n\r\nLine one.\r\n";
        await File.WriteAllTextAsync(eml, content);
        try
        {
            var (exit, _, err) = await CommandRun.RunAsync("send", "--port", server.EndPoint.Port.Text(), "--from", "a@example.com", "--to", "b@example.com", "--eml", eml);
            Assert.That(exit, Is.Zero, err);
            var captured = server.Messages.Messages.Single();
            Assert.That(captured.Recipients.Single().Address, Is.EqualTo("b@example.com"));
            Assert.That(System.Text.Encoding.UTF8.GetString(captured.Raw.Span), Is.EqualTo(content));
        }
        finally
        {
            File.Delete(eml);
        }
    }

    [Test]
    public async Task The_503_snippet_refuses_the_second_recipient_and_send_exits_1_naming_it()
    {
        await using var server = await CommandRun.StartServerAsync(ReplyCodeReference.Find(503)!.Scenario);
        var (exit, output, err) = await CommandRun.RunAsync("send", "--port", server.EndPoint.Port.Text(), "--from", "a@example.com", "--to", "b@example.com", "--to", "c@example.com");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("503 5.5.1 Bad sequence of commands"));
        Assert.That(err.Trim(), Does.StartWith("smtpmock: recipient c@example.com refused: 503 "));
        Assert.That(server.Messages.Count, Is.Zero);

        // The refusal ends the message, not the session: send says QUIT instead of dropping the connection.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var session = await server.WaitForSessionEndAsync(1, deadline.Token);
        Assert.That(session.EndReason, Is.EqualTo("QUIT"), session.EndReason);
    }

    [Test]
    public async Task The_504_snippet_refuses_MAIL_with_SIZE_and_send_exits_1()
    {
        await using var server = await CommandRun.StartServerAsync(ReplyCodeReference.Find(504)!.Scenario);
        var (exit, output, err) = await CommandRun.RunAsync("send", "--port", server.EndPoint.Port.Text(), "--from", "a@example.com", "--to", "b@example.com");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("504 5.5.4 SIZE parameter not implemented"));
        Assert.That(err.Trim(), Does.StartWith("smtpmock: sender a@example.com refused: 504 "));
    }

    [Test]
    public async Task The_502_snippet_makes_send_fall_back_to_HELO_and_still_deliver()
    {
        await using var server = await CommandRun.StartServerAsync(ReplyCodeReference.Find(502)!.Scenario);
        var (exit, output, err) = await CommandRun.RunAsync("send", "--port", server.EndPoint.Port.Text(), "--from", "a@example.com", "--to", "b@example.com");
        Assert.That(exit, Is.Zero, err);
        Assert.That(output, Does.Contain("502 Command not implemented"));
        Assert.That(server.Messages.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task A_connection_dropped_after_the_final_dot_exits_1_with_one_line()
    {
        await using var server = await CommandRun.StartServerAsync("name: drop\nrules:\n  - on: MESSAGE\n    reply: none\n    then: close\n");
        var (exit, output, err) = await CommandRun.RunAsync("send", "--port", server.EndPoint.Port.Text(), "--from", "a@example.com", "--to", "b@example.com");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("354 "));
        Assert.That(err, Does.StartWith("smtpmock: "));
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
    }

    [TestCase("--host", "", "", "", "--host is empty")]
    [TestCase("--body", "x", "--eml", "m.eml", "--eml sends the file as it is")]
    [TestCase("--attach", "/no/such/file.txt", "", "", "--attach /no/such/file.txt: no such file")]
    [TestCase("--eml", "/no/such/file.eml", "", "", "--eml /no/such/file.eml: no such file")]
    [TestCase("--port", "0", "", "", "--port 0 is outside 1-65535")]
    [TestCase("--starttls", "true", "--tls", "true", "--starttls and --tls exclude each other")]
    [TestCase("--trust-cert", "/no/such/cert.pem", "", "", "--trust-cert /no/such/cert.pem: no such file")]
    [TestCase("--trust-cert", "/etc/passwd", "", "", "is not a PEM certificate")]
    [TestCase("--password", "secret", "", "", "--password needs --user")]
    public async Task Bad_send_options_exit_2_with_one_smtpmock_line(string flag, string value, string flag2, string value2, string message)
    {
        string[] args = ["send", "--from", "a@example.com", "--to", "b@example.com", flag, value, .. flag2.Length > 0 ? new[] { flag2, value2 } : []];
        var (exit, _, err) = await CommandRun.RunAsync(args);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err, Does.StartWith("smtpmock: ").And.Contain(message));
    }

    [Test]
    public async Task Send_without_to_is_a_usage_error()
    {
        var (exit, _, err) = await CommandRun.RunAsync("send", "--from", "a@example.com");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err, Does.StartWith("smtpmock: ").And.Contain("--to"));
    }

    [Test]
    public async Task A_closed_port_exits_1_with_a_cannot_connect_line()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var (exit, _, err) = await CommandRun.RunAsync("send", "--port", port.Text(), "--from", "a@example.com", "--to", "b@example.com");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(err, Does.StartWith($"smtpmock: cannot connect to 127.0.0.1:{port}"));
    }
}
