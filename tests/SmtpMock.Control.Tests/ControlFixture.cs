using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Net.Smtp;
using MimeKit;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Relay;

namespace SmtpMock.Control.Tests;

/// <summary>A fresh SMTP server and control plane on 127.0.0.1 port 0 for each test, an HttpClient and a MailKit sender.</summary>
public abstract class ControlFixture
{
    /// <summary>How long any single wait in these tests may take before the test fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>A scenario that refuses the second recipient of each transaction with 503 (rule <c>second-rcpt</c>, line 5).</summary>
    protected const string RefuseSecondRecipient = """
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

    protected SmtpMockServer Server { get; private set; } = null!;

    protected ControlServer Control { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    /// <summary>The token the control plane is started with, if any.</summary>
    protected virtual string? Token => null;

    /// <summary>The control plane's options beyond its address, token and relay.</summary>
    protected virtual ControlOptions Configure(ControlOptions options) => options;

    /// <summary>Where messages may be released to, if anywhere.</summary>
    protected virtual RelayTarget? Relay => null;

    [SetUp]
    public async Task StartAsync()
    {
        Server = new SmtpMockServer(new SmtpServerOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Hostname = "mock.test",
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        });
        await Server.StartAsync();
        Control = await ControlServer.StartAsync(Server, Configure(new ControlOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), ApiToken = Token, Relay = Relay }));
        Http = new HttpClient { BaseAddress = Control.BaseAddress, Timeout = Deadline * 2 };
    }

    [TearDown]
    public async Task StopAsync()
    {
        Http.Dispose();
        await Control.DisposeAsync();
        await Server.DisposeAsync();
    }

    protected static MimeMessage Message(string subject, string to = "bob@example.test", string from = "alice@example.test")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = $"Body of {subject}\r\n" };
        return message;
    }

    /// <summary>Sends the messages over one MailKit connection.</summary>
    protected Task SendAsync(params MimeMessage[] messages) => SendAsync(tls: false, user: null, mechanism: null, messages);

    /// <summary>
    /// Sends over one MailKit connection, after STARTTLS when <paramref name="tls"/> (the generated certificate is
    /// taken as it is) and a login as <paramref name="user"/> with <paramref name="mechanism"/> when a user is given.
    /// </summary>
    protected async Task SendAsync(bool tls, string? user, string? mechanism, params MimeMessage[] messages)
    {
        using var client = new SmtpClient { Timeout = (int)Deadline.TotalMilliseconds, LocalDomain = "mailkit.test", ServerCertificateValidationCallback = (_, _, _, _) => true };
        using var timeout = new CancellationTokenSource(Deadline);
        await client.ConnectAsync("127.0.0.1", Server.EndPoint.Port, tls ? MailKit.Security.SecureSocketOptions.StartTls : MailKit.Security.SecureSocketOptions.None, timeout.Token);
        if (user is not null)
        {
            client.AuthenticationMechanisms.RemoveWhere(m => !string.Equals(m, mechanism, StringComparison.OrdinalIgnoreCase));
            await client.AuthenticateAsync(user, "secret", timeout.Token);
        }

        foreach (var message in messages)
        {
            await client.SendAsync(message, timeout.Token);
        }

        await client.DisconnectAsync(true, timeout.Token);
    }

    /// <summary>Makes this YAML the active scenario (PUT /api/v1/scenario), asserting it was taken.</summary>
    protected async Task UseScenarioAsync(string yaml)
    {
        using var put = await Http.PutAsync("api/v1/scenario", new StringContent(yaml));
        Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
    }

    protected async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    protected static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
}
