using System.Net;
using System.Text.Json;

namespace SmtpMock.Control.Tests;

/// <summary>
/// How a message came in, in the list and the detail: its TLS (protocol, cipher), its login (user, mechanism), its
/// HTML part and the faults injected into its own transaction; and the list and the wait filtered on TLS and login.
/// </summary>
public sealed class MessageSecurityApiTests : ControlFixture
{
    [Test]
    public async Task List_and_detail_show_tls_and_login_and_filter_on_them()
    {
        await SendAsync(Message("plain"));
        await SendAsync(tls: true, user: "relay", mechanism: "PLAIN", Message("secure"));
        await SendAsync(tls: true, user: "other", mechanism: "LOGIN", Message("other login"));
        await SendAsync(tls: true, user: null, mechanism: null, Message("tls only"));

        var items = (await GetJsonAsync("api/v1/messages")).GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("subject").GetString()!);
        var secure = items["secure"];
        Assert.Multiple(() =>
        {
            Assert.That(secure.GetProperty("tls").GetProperty("protocol").GetString(), Does.Match("^TLSv1\\.[23]$"));
            Assert.That(secure.GetProperty("tls").GetProperty("cipher").GetString(), Does.StartWith("TLS_"));
            Assert.That(secure.GetProperty("authenticatedUser").GetString(), Is.EqualTo("relay"));
            Assert.That(secure.GetProperty("authMechanism").GetString(), Is.EqualTo("PLAIN"));
            Assert.That(items["plain"].GetProperty("tls").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(items["plain"].GetProperty("authenticatedUser").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(items["plain"].GetProperty("authMechanism").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(items["tls only"].GetProperty("tls").ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(items["tls only"].GetProperty("authenticatedUser").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });

        var detail = await GetJsonAsync($"api/v1/messages/{secure.GetProperty("id").GetString()}");
        var captured = Server.Messages.Find(secure.GetProperty("id").GetString()!)!;
        Assert.Multiple(() =>
        {
            Assert.That($"{detail.GetProperty("tls").GetProperty("protocol").GetString()} {detail.GetProperty("tls").GetProperty("cipher").GetString()}", Is.EqualTo(captured.Tls));
            Assert.That(detail.GetProperty("authenticatedUser").GetString(), Is.EqualTo("relay"));
            Assert.That(detail.GetProperty("authMechanism").GetString(), Is.EqualTo("PLAIN"));
        });

        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?tls=true")), Is.EqualTo(new[] { "tls only", "other login", "secure" }));
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?tls=FALSE")), Is.EqualTo(new[] { "plain" }));
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?auth=true")), Is.EqualTo(new[] { "other login", "secure" }));
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?auth=false")), Is.EqualTo(new[] { "tls only", "plain" }));
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?user=relay")), Is.EqualTo(new[] { "secure" }));
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?user=RELAY")), Is.Empty, "a login name is compared exactly, as the server compares it");
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?mechanism=login")), Is.EqualTo(new[] { "other login" }));
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?tls=true&auth=false")), Is.EqualTo(new[] { "tls only" }));
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages/wait?count=2&tls=true&auth=true&timeout=1s")), Is.EqualTo(new[] { "other login", "secure" }));

        var bad = await GetJsonAsync("api/v1/messages?tls=yes", HttpStatusCode.BadRequest);
        Assert.That(bad.GetProperty("detail").GetString(), Is.EqualTo("'tls' must be true or false, not 'yes'"));
        bad = await GetJsonAsync("api/v1/messages/wait?auth=1", HttpStatusCode.BadRequest);
        Assert.That(bad.GetProperty("detail").GetString(), Is.EqualTo("'auth' must be true or false, not '1'"));
        using var none = await Http.GetAsync("api/v1/messages/wait?user=nobody&timeout=200ms");
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.RequestTimeout));
    }

    [Test]
    public async Task Faults_count_the_injected_replies_of_the_message_own_transaction_and_html_is_marked()
    {
        // One connection, two messages: the first has a recipient the failure simulator refuses (503 from its rule),
        // the second goes through untouched; a fault belongs to its own message, not to every message of the session.
        await using (var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint))
        {
            Assert.That((await client.CommandAsync("MAIL FROM:<alice@example.test>"))[^1], Does.StartWith("250 "));
            Assert.That((await client.CommandAsync("RCPT TO:<bob@example.test>"))[^1], Does.StartWith("250 "));
            Assert.That((await client.CommandAsync("RCPT TO:<503@smtpmock.test>"))[^1], Does.StartWith("503 "));
            Assert.That((await client.CommandAsync("DATA"))[^1], Does.StartWith("354 "));
            Assert.That((await client.CommandAsync("Subject: refused one\r\n\r\nhi\r\n."))[^1], Does.StartWith("250 "));
            await client.SendMessageAsync("alice@example.test", "bob@example.test", "Subject: html\r\nContent-Type: text/html\r\n\r\n<p>h</p>\r\n");
        }

        var items = (await GetJsonAsync("api/v1/messages")).GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("subject").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(items["refused one"].GetProperty("faults").GetInt32(), Is.EqualTo(1));
            Assert.That(items["html"].GetProperty("faults").GetInt32(), Is.Zero);
            Assert.That(items["refused one"].GetProperty("hasHtml").GetBoolean(), Is.False);
            Assert.That(items["html"].GetProperty("hasHtml").GetBoolean(), Is.True);
        });
        var detail = await GetJsonAsync($"api/v1/messages/{items["refused one"].GetProperty("id").GetString()}");
        Assert.That(detail.GetProperty("faults").GetInt32(), Is.EqualTo(1));

        // Once the session's transcript is no longer kept, the count is unknown, not 0.
        Server.ClearFinishedSessions();
        var forgotten = (await GetJsonAsync("api/v1/messages")).GetProperty("items")[0];
        Assert.That(forgotten.GetProperty("faults").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    private static string[] Subjects(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("subject").GetString()!)];
}
