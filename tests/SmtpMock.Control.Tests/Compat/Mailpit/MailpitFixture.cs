using System.Net;
using System.Text;
using System.Text.Json;
using MimeKit;
using SmtpMock.Control.Compat.Mailpit;

namespace SmtpMock.Control.Tests.Compat.Mailpit;

/// <summary>The control fixture with the Mailpit-compatible API on its own 127.0.0.1 port 0, and a client for it.</summary>
public abstract class MailpitFixture : ControlFixture
{
    protected MailpitServer MailpitServer { get; private set; } = null!;

    protected HttpClient Mailpit { get; private set; } = null!;

    /// <summary>The seed the chaos scenario's draws use.</summary>
    protected virtual int? Seed => null;

    [SetUp]
    public async Task StartMailpitAsync()
    {
        MailpitServer = await MailpitServer.StartAsync(
            Server,
            new Hosting.ControlOptions { Relay = Relay },
            new MailpitOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Seed = Seed, PageAddress = Control.BaseAddress });
        Mailpit = new HttpClient { BaseAddress = MailpitServer.BaseAddress, Timeout = Deadline * 2 };
    }

    [TearDown]
    public async Task StopMailpitAsync()
    {
        Mailpit.Dispose();
        await MailpitServer.DisposeAsync();
    }

    protected async Task<JsonElement> MailpitJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Mailpit.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    protected async Task<(HttpStatusCode Status, string Body)> SendBodyAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8) };
        using var response = await Mailpit.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The ids of the listed messages, newest first.</summary>
    protected async Task<string[]> IdsAsync(string path = "api/v1/messages") =>
        [.. (await MailpitJsonAsync(path)).GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("ID").GetString()!)];

    /// <summary>
    /// A multipart message as mail with attachments looks: mixed{alternative{text, html}, related-less inline logo, a PDF},
    /// so Mailpit's part ids are 1.1, 1.2, 2 and 3.
    /// </summary>
    protected static MimeMessage WithAttachments(string subject)
    {
        var message = Message(subject, to: "Bob Example <bob+signup@example.test>");
        message.Cc.Add(MailboxAddress.Parse("carol@example.test"));
        message.Headers.Add("X-Tags", "first, second");
        message.Headers.Add("List-Unsubscribe", "<mailto:leave@example.test>, <https://example.test/leave>");
        var body = new BodyBuilder { TextBody = "Hello text\r\n", HtmlBody = "<p>Hello <b>html</b> <img src=\"cid:logo@example.test\"></p>" };
        var logo = body.LinkedResources.Add("logo.png", [1, 2, 3, 4], new ContentType("image", "png"));
        logo.ContentId = "logo@example.test";
        body.Attachments.Add("report.pdf", Encoding.ASCII.GetBytes("%PDF-1.4 report"), new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        return message;
    }
}
