using System.Globalization;
using System.Text;
using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>
/// Clients outside .NET, run as processes: Python's smtplib and curl. A missing tool skips these, naming its apt package
/// (or fails them, with SMTPMOCK_REQUIRE_TOOLS=1).
/// </summary>
[TestFixture]
public sealed class ExternalClientTests
{
    // Reads the message bytes from a file and sends them as bytes (smtplib then only dot-stuffs them).
    private const string PythonSender = """
        import smtplib, sys
        port, path = int(sys.argv[1]), sys.argv[2]
        with open(path, 'rb') as f:
            data = f.read()
        with smtplib.SMTP('127.0.0.1', port, local_hostname='python.test', timeout=20) as smtp:
            refused = smtp.sendmail('py-sender@example.com', ['py-one@example.org', 'py-two@example.org'], data)
            if refused:
                sys.exit('refused: %r' % (refused,))
        """;

    private static readonly byte[] Content = Encoding.ASCII.GetBytes(
        "From: Script <py-sender@example.com>\r\n" +
        "To: py-one@example.org, py-two@example.org\r\n" +
        "Subject: from a script\r\n" +
        "Message-ID: <external-1@example.com>\r\n" +
        "\r\n" +
        "First line.\r\n" +
        ".a line that starts with a dot\r\n" +
        ".\r\n" +
        "Last line.\r\n");

    private SmtpMockServer _server = null!;
    private string _directory = null!;

    [SetUp]
    public async Task StartServer()
    {
        _directory = Directory.CreateTempSubdirectory("smtpmock-e2e-tools-").FullName;
        _server = await TestServer.StartAsync();
    }

    [TearDown]
    public async Task StopServer()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Python_smtplib_message_is_captured_as_sent()
    {
        await ExternalTool.RequireAsync("python3");
        var file = Path.Combine(_directory, "message.eml");
        await File.WriteAllBytesAsync(file, Content);

        var result = await ExternalTool.RunAsync("python3", ["-c", PythonSender, _server.EndPoint.Port.ToString(CultureInfo.InvariantCulture), file]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var captured = await _server.WaitForMessageAsync(m => m.Sender.Address == "py-sender@example.com");
        Assert.That(captured.Raw.ToArray(), Is.EqualTo(Content));
        Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { "py-one@example.org", "py-two@example.org" }));
        Assert.That(captured.HeloName, Is.EqualTo("python.test"));
        Assert.That(captured.SenderParameters.Select(p => p.ToString()), Does.Contain($"SIZE={Content.Length}"));
        Assert.That(captured.Message.Subject, Is.EqualTo("from a script"));
    }

    [Test]
    public async Task Curl_upload_is_captured_as_sent()
    {
        await ExternalTool.RequireAsync("curl");
        var file = Path.Combine(_directory, "message.eml");
        var content = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(Content).Replace("py-", "curl-", StringComparison.Ordinal));
        await File.WriteAllBytesAsync(file, content);

        var result = await ExternalTool.RunAsync("curl",
        [
            "--silent", "--show-error", "--max-time", "20",
            $"smtp://127.0.0.1:{_server.EndPoint.Port}/curl.test",
            "--mail-from", "curl-sender@example.com",
            "--mail-rcpt", "curl-one@example.org",
            "--mail-rcpt", "curl-two@example.org",
            "--upload-file", file,
        ]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var captured = await _server.WaitForMessageAsync(m => m.Sender.Address == "curl-sender@example.com");
        Assert.That(captured.Raw.ToArray(), Is.EqualTo(content));
        Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { "curl-one@example.org", "curl-two@example.org" }));
        Assert.That(captured.HeloName, Is.EqualTo("curl.test"));
        Assert.That(captured.Message.Subject, Is.EqualTo("from a script"));
    }
}
