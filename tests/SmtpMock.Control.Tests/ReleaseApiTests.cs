using SmtpMock.Server.Capture;
using System.Net;
using System.Text;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Relay;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Tests;

/// <summary>Releasing a captured message to the relay named at start: here a second SmtpMock on 127.0.0.1 port 0.</summary>
public sealed class ReleaseApiTests : RelayFixture
{

    [Test]
    public async Task Release_sends_the_message_to_its_own_recipients_with_its_envelope_sender()
    {
        await SendAsync(Message("Release me", to: "carol@example.test"));
        var id = Server.Messages.Messages.Single().Id;

        using var response = await Http.PostAsync($"api/v1/messages/{id}/release", null);
        var result = await ReadJsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), result.ToString());
        Assert.That(result.GetProperty("accepted").GetBoolean(), Is.True);
        Assert.That(result.GetProperty("relay").GetString(), Is.EqualTo($"127.0.0.1:{RelayServer.EndPoint.Port}"));

        var relayed = await RelayServer.Messages.WaitForAsync(_ => true, new CancellationTokenSource(Deadline).Token);
        Assert.That(relayed.Message.Subject, Is.EqualTo("Release me"));
        Assert.That(relayed.Sender.Address, Is.EqualTo("alice@example.test"));
        Assert.That(relayed.Recipients.Select(r => r.Address), Is.EqualTo(new[] { "carol@example.test" }));
        Assert.That(result.GetProperty("replies").EnumerateArray().Select(r => r.GetString()), Has.Some.StartWith("S: 250 2.0.0 OK: queued as").And.Some.EqualTo("C: STARTTLS"));
    }

    [Test]
    public async Task Release_to_other_recipients_and_a_refusal_is_502_with_the_dialog()
    {
        await SendAsync(Message("Elsewhere"));
        var id = Server.Messages.Messages.Single().Id;

        using (var response = await Http.PostAsync($"api/v1/messages/{id}/release", Json("""{"to":["dave@example.test","550@smtpmock.test"]}""")))
        {
            var result = await ReadJsonAsync(response);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "one of two recipients took it");
            Assert.That(result.GetProperty("replies").EnumerateArray().Select(r => r.GetString()), Has.Some.StartWith("S: 550"));
        }

        var relayed = await RelayServer.Messages.WaitForAsync(_ => true, new CancellationTokenSource(Deadline).Token);
        Assert.That(relayed.Recipients.Select(r => r.Address), Is.EqualTo(new[] { "dave@example.test" }));

        using var refused = await Http.PostAsync($"api/v1/messages/{id}/release", Json("""{"to":["550@smtpmock.test"]}"""));
        var refusal = await ReadJsonAsync(refused);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), refusal.ToString());
        Assert.That(refusal.GetProperty("accepted").GetBoolean(), Is.False);
        Assert.That(refusal.GetProperty("replies").EnumerateArray().Select(r => r.GetString()).Last(), Is.EqualTo("S: 221 2.0.0 Bye"));
        Assert.That(RelayServer.Messages.Count, Is.EqualTo(1), "nothing more was relayed");
    }

    [Test]
    public async Task Release_of_an_unknown_message_is_404_and_a_bad_address_400()
    {
        using (var missing = await Http.PostAsync("api/v1/messages/nope/release", null))
        {
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        await SendAsync(Message("Bad address"));
        var id = Server.Messages.Messages.Single().Id;
        using var bad = await Http.PostAsync($"api/v1/messages/{id}/release", Json("""{"to":["not an address"]}"""));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ReadJsonAsync(bad)).GetProperty("detail").GetString(), Does.Contain("'not an address' is not a mail address"));
    }

    [Test]
    public async Task Release_with_a_body_that_is_not_json_is_415_and_sends_nothing()
    {
        // curl -d without -H 'Content-Type: application/json' sends a form type: the 'to' it holds must not be
        // dropped in silence, which would release to the message's own recipients instead.
        await SendAsync(Message("Not to the original"));
        var id = Server.Messages.Messages.Single().Id;
        using var response = await Http.PostAsync($"api/v1/messages/{id}/release", new StringContent("""{"to":["me@example.test"]}""", Encoding.UTF8, "application/x-www-form-urlencoded"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), body);
        Assert.That(body, Does.Contain("Content-Type: application/json"));
        Assert.That(RelayServer.Messages.Count, Is.Zero);
    }

    [Test]
    public async Task A_relay_that_never_answers_is_noted_as_out_of_time_and_the_release_ends()
    {
        // Listening but never accepting: the connection is made and no greeting ever comes.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var relay = new RelayTarget("127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port);
        using var limit = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var captured = new SmtpMock.Server.Capture.CapturedMessage("1", 1, DateTimeOffset.UtcNow, "127.0.0.1", "test", SmtpMock.Protocol.Grammar.MailPath.Null, [], [], Encoding.ASCII.GetBytes("Subject: Silent\r\n\r\nx\r\n"));
        var sent = SmtpMock.Server.Relay.RelayClient.SendAsync(relay, new MimeKit.MailboxAddress("", "a@example.test"), [new MimeKit.MailboxAddress("", "b@example.test")], captured, limit.Token);
        var outcome = await sent.WaitAsync(Deadline);
        Assert.That(outcome.Accepted, Is.False);
        Assert.That(outcome.Lines, Is.EqualTo(new[] { "-- gave up: the server did not answer in time" }));
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}

/// <summary>Without --relay, releasing says how to turn it on.</summary>
public sealed class ReleaseWithoutRelayTests : ControlFixture
{
    [Test]
    public async Task Release_without_a_relay_is_409_and_names_the_flag()
    {
        await SendAsync(Message("Nowhere"));
        using var response = await Http.PostAsync($"api/v1/messages/{Server.Messages.Messages.Single().Id}/release", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await ReadJsonAsync(response)).GetProperty("detail").GetString(), Does.Contain("--relay HOST[:PORT]"));
    }
}

/// <summary>A relay that asks for a login (--relay-user): the dialog the API answers with never carries it.</summary>
public sealed class ReleaseWithLoginTests : RelayFixture
{
    protected override SmtpServerOptions ConfigureRelay(SmtpServerOptions options) =>
        options with { AuthUsers = new Dictionary<string, string> { ["me"] = "pa:ss" }, AuthRequired = true };

    protected override RelayTarget Target(int port) => base.Target(port) with { User = "me", Password = "pa:ss" };

    [Test]
    public async Task Release_logs_in_with_a_password_holding_a_colon_and_never_shows_the_login()
    {
        await SendAsync(Message("Logged in"));
        using var response = await Http.PostAsync($"api/v1/messages/{Server.Messages.Messages.Single().Id}/release", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(RelayServer.Messages.Count, Is.EqualTo(1), "the relay took the login 'me' / 'pa:ss'");

        // AUTH PLAIN's argument is base64 of NUL me NUL pa:ss; AUTH LOGIN sends each part base64 on its own line.
        var lines = (await ReadJsonAsync(response)).GetProperty("replies").EnumerateArray().Select(r => r.GetString()!).ToList();
        var secrets = new[] { "\0me\0pa:ss", "me", "pa:ss" }.Select(s => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)));
        Assert.That(lines, Has.Some.StartWith("C: AUTH "), body);
        Assert.That(lines.Where(l => l.StartsWith("C: ", StringComparison.Ordinal)), Has.None.Matches<string>(l => secrets.Any(s => l!.Contains(s, StringComparison.Ordinal))), body);
        Assert.That(lines, Has.Some.Contains("********"), body);
    }
}

/// <summary>--relay-user given, but the relay offers no AUTH: a refusal with the dialog, not a server error.</summary>
public sealed class ReleaseToARelayWithoutLoginTests : RelayFixture
{
    protected override SmtpServerOptions ConfigureRelay(SmtpServerOptions options) => options with { EnableAuth = false };

    protected override RelayTarget Target(int port) => base.Target(port) with { User = "me", Password = "secret" };

    [Test]
    public async Task Release_with_a_login_the_relay_does_not_offer_is_502_and_says_so()
    {
        await SendAsync(Message("No AUTH there"));
        using var response = await Http.PostAsync($"api/v1/messages/{Server.Messages.Messages.Single().Id}/release", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), body);
        var lines = (await ReadJsonAsync(response)).GetProperty("replies").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.That(lines, Has.One.EqualTo("-- The SMTP server does not support authentication."), body);
        Assert.That(lines.TakeLast(2), Is.EqualTo(new[] { "C: QUIT", "S: 221 2.0.0 Bye" }), body);
        Assert.That(RelayServer.Messages.Count, Is.Zero);
    }
}

/// <summary>A relay without 8BITMIME: MailKit re-encodes what it sends, and the captured message must stay as it came.</summary>
public sealed class ReleaseToASevenBitRelayTests : RelayFixture
{
    private readonly string _scenario = Path.Combine(Path.GetTempPath(), $"smtpmock-7bit-{Guid.NewGuid():N}.yaml");

    [OneTimeTearDown]
    public void DeleteScenario() => File.Delete(_scenario);

    protected override SmtpServerOptions ConfigureRelay(SmtpServerOptions options)
    {
        File.WriteAllText(_scenario, "name: seven-bit\nserver:\n  extensions: [PIPELINING, ENHANCEDSTATUSCODES]\nrules: []\n");
        return options with { ScenarioPaths = [_scenario] };
    }

    [Test]
    public async Task Release_leaves_the_captured_message_as_it_came()
    {
        var sent = Message("Eight bit");
        sent.Body = new MimeKit.TextPart("plain") { Text = "Grüße aus Köln\r\n", ContentTransferEncoding = MimeKit.ContentEncoding.EightBit };
        await SendAsync(sent);
        var captured = Server.Messages.Messages.Single();
        Assert.That(((MimeKit.MimePart)captured.Message.Body!).ContentTransferEncoding, Is.EqualTo(MimeKit.ContentEncoding.EightBit));

        using var response = await Http.PostAsync($"api/v1/messages/{captured.Id}/release", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var relayed = await RelayServer.Messages.WaitForAsync(_ => true, new CancellationTokenSource(Deadline).Token);
        Assert.That(relayed.Message.TextBody, Does.StartWith("Grüße aus Köln"));
        Assert.That(((MimeKit.MimePart)relayed.Message.Body!).ContentTransferEncoding, Is.Not.EqualTo(MimeKit.ContentEncoding.EightBit), "re-encoded for a 7-bit relay");
        Assert.That(((MimeKit.MimePart)captured.Message.Body!).ContentTransferEncoding, Is.EqualTo(MimeKit.ContentEncoding.EightBit), "the kept message is not changed by a release");
    }
}

/// <summary>A login is never sent in clear to a relay that offers no STARTTLS, unless it is taken as a test server.</summary>
public sealed class ReleaseLoginNeedsTlsTests : RelayFixture
{
    protected override SmtpServerOptions ConfigureRelay(SmtpServerOptions options) => options with { EnableTls = false, AllowPlaintextAuth = true };

    // Not taken as a test server: a login needs TLS.
    protected override RelayTarget Target(int port) => new("127.0.0.1", port) { User = "me", Password = "secret" };

    [Test]
    public async Task Release_with_a_login_to_a_relay_without_starttls_is_502_and_sends_no_auth()
    {
        await SendAsync(Message("Not in clear"));
        using var response = await Http.PostAsync($"api/v1/messages/{Server.Messages.Messages.Single().Id}/release", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), body);
        var lines = (await ReadJsonAsync(response)).GetProperty("replies").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.That(lines, Has.None.StartWith("C: AUTH"), body);
        Assert.That(lines, Has.Some.StartWith("-- ").And.Some.Contains("STARTTLS"), body);
        Assert.That(RelayServer.Messages.Count, Is.Zero);
    }

    [Test]
    public async Task Release_with_an_empty_to_list_is_400_not_the_messages_own_recipients()
    {
        await SendAsync(Message("Empty list"));
        using var response = await Http.PostAsync($"api/v1/messages/{Server.Messages.Messages.Single().Id}/release", new StringContent("""{"to":[]}""", Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ReadJsonAsync(response)).GetProperty("detail").GetString(), Does.Contain("'to' is empty"));
        Assert.That(RelayServer.Messages.Count, Is.Zero);
    }
}
