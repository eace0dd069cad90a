using System.Net;
using System.Text.Json;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Relay;

namespace SmtpMock.Control.Tests.Compat.Mailpit;

/// <summary>POST /api/v1/send (Mailpit's own test body) and POST /api/v1/message/{ID}/release to a second SmtpMock.</summary>
public sealed class MailpitSendReleaseTests : MailpitFixture
{
    private SmtpMockServer _relay = null!;

    protected override RelayTarget? Relay => new("127.0.0.1", _relay.EndPoint.Port) { AcceptAnyCertificate = true };

    [OneTimeSetUp]
    public async Task StartRelayAsync()
    {
        _relay = new SmtpMockServer(new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Hostname = "relay.test" });
        await _relay.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopRelayAsync() => await _relay.DisposeAsync();

    [Test]
    public async Task Send_with_mailpits_test_body_captures_the_message_mailpit_would()
    {
        var body = await File.ReadAllTextAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Compat", "Mailpit", "Golden", "send-request.json"));
        var (status, answer) = await SendBodyAsync(HttpMethod.Post, "api/v1/send", body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), answer);
        var id = JsonDocument.Parse(answer).RootElement.GetProperty("ID").GetString()!;

        var message = await MailpitJsonAsync($"api/v1/message/{id}");
        Assert.That(message.GetProperty("Subject").GetString(), Is.EqualTo("Mailpit message via the HTTP API"));
        Assert.That(message.GetProperty("From").GetProperty("Name").GetString(), Is.EqualTo("John Doe"));
        Assert.That(message.GetProperty("Cc").GetArrayLength(), Is.EqualTo(2));
        Assert.That(message.GetProperty("ReplyTo")[0].GetProperty("Address").GetString(), Is.EqualTo("secretary@example.com"));
        Assert.That(message.GetProperty("Text").GetString(), Is.EqualTo("This is the text body"));
        Assert.That(message.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "Tag 1", "Tag 2" }));
        Assert.That(message.GetProperty("Attachments").EnumerateArray().Single().GetProperty("FileName").GetString(), Is.EqualTo("Attached File.txt"));
        var inline = message.GetProperty("Inline").EnumerateArray().Single();
        Assert.That(inline.GetProperty("ContentType").GetString(), Is.EqualTo("overridden/type"));
        var captured = Server.Messages.Messages.Single();
        Assert.That(captured.Recipients.Select(r => r.Address), Is.EquivalentTo(new[] { "jane@example.com", "manager1@example.com", "manager2@example.com", "jack@example.com" }));
        Assert.That((await MailpitJsonAsync($"api/v1/message/{id}/headers")).GetProperty("X-Ip")[0].GetString(), Is.EqualTo("1.2.3.4"));
    }

    [Test]
    public async Task Send_refuses_a_bad_address_and_a_reserved_header_as_mailpit_does()
    {
        var (status, body) = await SendBodyAsync(HttpMethod.Post, "api/v1/send", """{"From":{"Email":"not an address"},"To":[{"Email":"a@example.test"}]}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("Error").GetString(), Does.StartWith("invalid From address"));
        (status, body) = await SendBodyAsync(HttpMethod.Post, "api/v1/send", """{"From":{"Email":"a@example.test"},"To":[{"Email":"b@example.test"}],"Headers":{"Subject":"x"}}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("cannot overwrite header"));
    }

    [Test]
    public async Task Release_goes_to_the_relay_with_the_given_recipients()
    {
        await SendAsync(Message("Release me"));
        var id = (await IdsAsync())[0];

        Assert.That(await SendBodyAsync(HttpMethod.Post, $"api/v1/message/{id}/release", """{"To":["carol@example.test"]}"""), Is.EqualTo((HttpStatusCode.OK, "ok")));
        var relayed = await _relay.Messages.WaitForAsync(_ => true, new CancellationTokenSource(Deadline).Token);
        Assert.That(relayed.Message.Subject, Is.EqualTo("Release me"));
        Assert.That(relayed.Recipients.Select(r => r.Address), Is.EqualTo(new[] { "carol@example.test" }));

        Assert.That(await SendBodyAsync(HttpMethod.Post, $"api/v1/message/{id}/release", """{"To":[]}"""), Is.EqualTo((HttpStatusCode.BadRequest, "No valid addresses found")));
        Assert.That(await SendBodyAsync(HttpMethod.Post, "api/v1/message/nope/release", """{"To":["x@example.test"]}"""), Is.EqualTo((HttpStatusCode.NotFound, "404 page not found")));
    }
}
