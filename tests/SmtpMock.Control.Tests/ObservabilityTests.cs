using System.Net;
using System.Net.Http.Headers;

namespace SmtpMock.Control.Tests;

public sealed class ObservabilityTests : ControlFixture
{
    [Test]
    public async Task Metrics_counters_move_with_sessions_commands_replies_and_messages()
    {
        await SendAsync(Message("counted"));
        await GetJsonAsync("api/v1/sessions/wait?count=1");

        var text = await Http.GetStringAsync("metrics");
        Assert.That(text, Does.Contain("# TYPE smtpmock_sessions_total counter"));
        Assert.That(text, Does.Contain("smtpmock_sessions_total 1\n"));
        Assert.That(text, Does.Contain("smtpmock_commands_total{verb=\"EHLO\"} 1\n"));
        Assert.That(text, Does.Contain("smtpmock_replies_total{code=\"354\"} 1\n"));
        Assert.That(text, Does.Contain("smtpmock_messages_captured_total 1\n"));
        Assert.That(text, Does.Contain("# TYPE smtpmock_connections_active gauge"));
        Assert.That(text, Does.Not.Contain("smtpmock_cluster_"), "a lone process has no other instances to count");
    }

    [Test]
    public async Task Events_stream_delivers_a_message_captured_event()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/events");
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/event-stream"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.That(await reader.ReadLineAsync().WaitAsync(Deadline), Is.EqualTo(": connected"));

        var sending = SendAsync(Message("evented"));
        string? line;
        var seen = new List<string>();
        while ((line = await reader.ReadLineAsync().WaitAsync(Deadline)) is not null && line != "event: message-captured")
        {
            seen.Add(line);
        }

        Assert.That(line, Is.EqualTo("event: message-captured"));
        Assert.That(await reader.ReadLineAsync().WaitAsync(Deadline), Does.Contain("\"messageId\":\"" + Server.Messages.Messages[0].Id + "\""));
        Assert.That(seen, Has.Some.Contains("event: session-opened"));
        Assert.That(seen, Has.Some.Contains("\"direction\":\"in\",\"line\":\"EHLO mailkit.test\""));
        await sending;
    }

    [Test]
    public async Task Events_stream_tells_every_reader_about_a_deleted_message_and_a_deleted_all()
    {
        await SendAsync(Message("to delete"));
        var id = Server.Messages.Messages[0].Id;
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/events");
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.That(await reader.ReadLineAsync().WaitAsync(Deadline), Is.EqualTo(": connected"));

        using (var deleted = await Http.DeleteAsync($"api/v1/messages/{id}"))
        {
            Assert.That(deleted.IsSuccessStatusCode, Is.True);
        }

        Assert.That(await NextEventAsync(reader), Is.EqualTo("event: messages-deleted"));
        Assert.That(await reader.ReadLineAsync().WaitAsync(Deadline), Does.Contain("\"messageId\":\"" + id + "\""));

        using (await Http.DeleteAsync("api/v1/messages"))
        {
        }

        Assert.That(await NextEventAsync(reader), Is.EqualTo("event: messages-deleted"));
        Assert.That(await reader.ReadLineAsync().WaitAsync(Deadline), Does.Contain("\"messageId\":null"), "no id: all were deleted");
    }

    /// <summary>
    /// The next event line, past any the sending session still reports: its session-closed is raised after the 221
    /// reaches the client, so it may come after the stream opened (on a loaded machine it did not always come before).
    /// </summary>
    private static async Task<string?> NextEventAsync(StreamReader reader)
    {
        string? line;
        while ((line = await reader.ReadLineAsync().WaitAsync(Deadline)) is not null
            && (!line.StartsWith("event: ", StringComparison.Ordinal) || line is "event: session-closed" or "event: line"))
        {
        }

        return line;
    }

    [Test]
    public async Task Health_is_open_and_names_the_smtp_port_and_whether_a_relay_was_named()
    {
        var health = await GetJsonAsync("healthz");
        Assert.That(health.GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(health.GetProperty("smtpPort").GetInt32(), Is.EqualTo(Server.EndPoint.Port));
        Assert.That(health.GetProperty("relay").GetBoolean(), Is.False, "started without --relay");
    }

    [TestCase("http://evil.example", 403)]
    [TestCase("null", 403)]
    [TestCase("SELF", 200)]
    [TestCase(null, 200)]
    public async Task A_change_from_another_origin_is_refused(string? origin, int expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/scenario/reset");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin == "SELF" ? $"http://{Control.BaseAddress.Authority}" : origin);
        }

        using var response = await Http.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Reading_from_another_origin_is_not_refused_by_the_origin_check()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/messages");
        request.Headers.Add("Origin", "http://evil.example");
        using var response = await Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "no CORS header is sent, so the browser keeps the answer from that page");
        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task Page_is_served_with_a_restrictive_content_security_policy()
    {
        using var page = await Http.GetAsync("/");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'none'; script-src 'self'"));
    }
}

public sealed class TokenTests : ControlFixture
{
    protected override string? Token => "s3cret";

    [Test]
    public async Task Api_and_metrics_need_the_bearer_token_but_health_and_the_page_do_not()
    {
        using (var refused = await Http.GetAsync("api/v1/messages"))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(refused.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        }

        using (var metrics = await Http.GetAsync("metrics"))
        {
            Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        await GetJsonAsync("healthz");
        using (var page = await Http.GetAsync("/"))
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        using (var wrong = await Http.GetAsync("api/v1/messages"))
        {
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        await GetJsonAsync("api/v1/messages");
    }
}

public sealed class SendApiTests : ControlFixture
{
    [Test]
    public async Task Send_goes_through_the_mock_and_names_the_session_it_made()
    {
        using var response = await Http.PostAsync("api/v1/send", new StringContent(
            """{"from":"page@example.test","to":["someone@example.test"],"subject":"From the page","text":".leading dot\nsecond line"}""",
            System.Text.Encoding.UTF8,
            "application/json"));
        var sent = await ReadJsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), sent.ToString());
        var message = Server.Messages.Messages.Single();
        Assert.That(sent.GetProperty("sessionId").GetInt64(), Is.EqualTo(message.SessionId));
        Assert.That(message.Message.Subject, Is.EqualTo("From the page"));
        Assert.That(message.Message.TextBody, Does.StartWith(".leading dot"));
        Assert.That(sent.GetProperty("replies").EnumerateArray().Select(r => r.GetString()), Has.Some.StartWith("S: 250"));
    }

    [Test]
    public async Task Send_goes_on_past_a_refused_recipient_and_shows_the_content_as_its_size()
    {
        var lines = await SendFormAsync("""{"from":"page@example.test","to":["550@smtpmock.test","someone@example.test"],"subject":"Two","text":"hello"}""");
        var message = Server.Messages.Messages.Single();
        Assert.That(message.Recipients.Select(r => r.Address), Is.EqualTo(new[] { "someone@example.test" }), string.Join("\n", lines));
        Assert.That(lines, Has.Some.StartWith("S: 550"), "the refusal is shown");
        Assert.That(lines, Has.One.Matches<string>(l => l == $"C: ({message.Size} octets of message)"), "the content is shown as its size, not its text");
        Assert.That(lines, Has.None.Contains("hello"));
        Assert.That(lines.TakeLast(2), Is.EqualTo(new[] { "C: QUIT", "S: 221 2.0.0 Bye" }));
    }

    [Test]
    public async Task Send_shows_the_size_of_a_message_with_dot_lines_as_the_mock_kept_it()
    {
        // Lines starting with '.' go on the wire with one more '.' (RFC 5321 4.5.2): that dot is not the message's.
        var lines = await SendFormAsync("""{"from":"page@example.test","to":["someone@example.test"],"subject":"Dots","text":".one\n..two\n.\nend"}""");
        var message = Server.Messages.Messages.Single();
        Assert.That(message.Message.TextBody, Does.Contain(".one").And.Contain("..two"));
        Assert.That(lines, Has.One.EqualTo($"C: ({message.Size} octets of message)"), string.Join("\n", lines));
    }

    [Test]
    public async Task Send_with_every_recipient_refused_says_so_and_quits()
    {
        var lines = await SendFormAsync("""{"from":"page@example.test","to":["550@smtpmock.test"],"subject":"None","text":"x"}""");
        Assert.That(Server.Messages.Count, Is.Zero);
        Assert.That(lines, Has.Some.StartWith("S: 550"));
        Assert.That(lines, Has.None.StartWith("C: DATA").And.None.Contains("octets of message"));
        Assert.That(lines[^1], Is.EqualTo("S: 221 2.0.0 Bye"));
    }

    /// <summary>Posts the send form's JSON and returns the dialog it answers with.</summary>
    private async Task<List<string>> SendFormAsync(string json)
    {
        using var response = await Http.PostAsync("api/v1/send", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        return [.. (await ReadJsonAsync(response)).GetProperty("replies").EnumerateArray().Select(r => r.GetString()!)];
    }

    [Test]
    public async Task Send_without_a_recipient_is_400()
    {
        using var response = await Http.PostAsync("api/v1/send", new StringContent("""{"from":"a@b.test","to":[]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}

/// <summary>The send form's and release's dialog, fed as MailKit feeds it: any write or read may stop mid-line.</summary>
public sealed class DialogRecorderTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4096)]
    public void Lines_and_content_come_out_the_same_however_the_bytes_are_split(int piece)
    {
        var recorder = new SmtpMock.Server.Relay.DialogRecorder();
        Feed(recorder, server: true, "220 prêt\r\n", piece);
        Feed(recorder, server: false, "DATA\r\n", piece);
        Feed(recorder, server: true, "354 go\r\n", piece);
        Feed(recorder, server: false, "..dot\r\nx\r\n.\r\n", piece);
        Feed(recorder, server: true, "250 reçu\r\n", piece);
        Feed(recorder, server: false, "BDAT 13 LAST\r\nsecret\r\n.\r\n\r\n", piece);
        Feed(recorder, server: true, "250 OK\r\n", piece);
        Feed(recorder, server: false, "QUIT\r\n", piece);

        Assert.That(recorder.Lines, Is.EqualTo(new[]
        {
            "S: 220 prêt", "C: DATA", "S: 354 go", "C: (9 octets of message)", "C: .", "S: 250 reçu",
            "C: BDAT 13 LAST", "C: (13 octets of message)", "S: 250 OK", "C: QUIT",
        }));
    }

    private static void Feed(SmtpMock.Server.Relay.DialogRecorder recorder, bool server, string text, int piece)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        for (var at = 0; at < bytes.Length; at += piece)
        {
            var count = Math.Min(piece, bytes.Length - at);
            if (server)
            {
                recorder.LogServer(bytes, at, count);
            }
            else
            {
                recorder.LogClient(bytes, at, count);
            }
        }
    }
}
