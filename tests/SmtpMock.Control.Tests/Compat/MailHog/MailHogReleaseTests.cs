using System.Net;

namespace SmtpMock.Control.Tests.Compat.MailHog;

/// <summary>MailHog's release body, taken only when it names the relay SmtpMock was started with.</summary>
[TestFixture]
public sealed class MailHogReleaseTests : MailHogFixture
{
    [TestCase("\"{0}\"")]
    [TestCase("{0}")]
    public async Task Releases_to_the_relay_with_MailHogs_body_in_any_case_port_string_or_number(string port)
    {
        await SendAsync(Message("release me"));
        var id = Server.Messages.Messages.Single().Id;
        var body = $$"""{"host":"127.0.0.1","port":{{string.Format(System.Globalization.CultureInfo.InvariantCulture, port, RelayServer.EndPoint.Port)}},"email":"dave@example.test"}""";

        // As the mailhog npm client sends it: no Content-Type.
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        using var response = await MailHogHttp.PostAsync($"api/v1/messages/{id}/release", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
        var relayed = RelayServer.Messages.Messages.Single();
        Assert.That(relayed.Recipients.Select(r => r.Address), Is.EqualTo(new[] { "dave@example.test" }));
        Assert.That(relayed.Summary.Subject, Is.EqualTo("release me"));
    }

    [Test]
    public async Task A_host_other_than_the_relay_is_refused()
    {
        await SendAsync(Message("stay"));
        var id = Server.Messages.Messages.Single().Id;
        using var response = await MailHogHttp.PostAsync($"api/v1/messages/{id}/release", new StringContent("""{"Host":"mail.example.com","Port":"25","Email":"x@example.test"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain($"--relay 127.0.0.1:{RelayServer.EndPoint.Port}"));
        Assert.That(RelayServer.Messages.Count, Is.Zero);
    }

    [TestCase("", "as JSON")]
    [TestCase("""{"Host":"127.0.0.1","Port":"x","Email":"x@example.test"}""", "'Port'")]
    [TestCase("""{"Name":"saved","Email":"x@example.test"}""", "saved outgoing servers")]
    public async Task A_bad_body_gets_400_saying_what_is_wrong(string body, string says)
    {
        await SendAsync(Message("stay"));
        var id = Server.Messages.Messages.Single().Id;
        using var response = await MailHogHttp.PostAsync($"api/v1/messages/{id}/release", new StringContent(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(says));
    }
}
