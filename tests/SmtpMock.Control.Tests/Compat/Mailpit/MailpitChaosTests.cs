using System.Net;
using MailKit.Net.Smtp;

namespace SmtpMock.Control.Tests.Compat.Mailpit;

/// <summary>GET/PUT /api/v1/chaos becoming the active scenario mailpit-chaos, seen by a real SMTP client.</summary>
public sealed class MailpitChaosTests : MailpitFixture
{
    protected override int? Seed => 7;

    [Test]
    public async Task Chaos_starts_at_mailpits_defaults_and_a_put_becomes_the_mailpit_chaos_scenario()
    {
        var defaults = await MailpitJsonAsync("api/v1/chaos");
        Assert.That(defaults.GetProperty("Authentication").GetProperty("ErrorCode").GetInt32(), Is.EqualTo(535));
        Assert.That(defaults.GetProperty("Sender").GetProperty("Probability").GetInt32(), Is.EqualTo(0));

        var (status, body) = await SendBodyAsync(HttpMethod.Put, "api/v1/chaos", """{"Recipient":{"ErrorCode":550,"Probability":100}}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        var set = await MailpitJsonAsync("api/v1/chaos");
        Assert.That(set.GetProperty("Recipient").GetProperty("ErrorCode").GetInt32(), Is.EqualTo(550));
        Assert.That(set.GetProperty("Sender").GetProperty("ErrorCode").GetInt32(), Is.EqualTo(451), "an omitted trigger is back at its default");

        var scenario = await GetJsonAsync("api/v1/scenario");
        Assert.That(scenario.GetProperty("name").GetString(), Is.EqualTo("mailpit-chaos"));
        Assert.That(scenario.GetProperty("yaml").GetString(), Does.Contain("Chaos recipient error"), "our page shows and edits its YAML");

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(Message("refused")));
        Assert.That((int)refused!.StatusCode, Is.EqualTo(550));
        Assert.That(refused.Message, Is.EqualTo("Chaos recipient error"));

        Assert.That((await SendBodyAsync(HttpMethod.Put, "api/v1/chaos", "{}")).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await GetJsonAsync("api/v1/scenario")).GetProperty("name").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "nothing can fire: the scenario is cleared");
        await SendAsync(Message("accepted"));
    }

    [Test]
    public async Task Out_of_range_values_are_mailpits_400s()
    {
        Assert.That(await SendBodyAsync(HttpMethod.Put, "api/v1/chaos", """{"Sender":{"ErrorCode":250,"Probability":5}}"""), Is.EqualTo((HttpStatusCode.BadRequest, "error code must be between 400 and 599")));
        Assert.That(await SendBodyAsync(HttpMethod.Put, "api/v1/chaos", """{"Sender":{"ErrorCode":451,"Probability":101}}"""), Is.EqualTo((HttpStatusCode.BadRequest, "probability must be between 0 and 100")));
        Assert.That((await SendBodyAsync(HttpMethod.Put, "api/v1/chaos", """{"Sender":{"ErrorCode":451,"Probability":5.5}}""")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_421_closes_the_session_as_rfc_5321_asks()
    {
        Assert.That((await SendBodyAsync(HttpMethod.Put, "api/v1/chaos", """{"Sender":{"ErrorCode":421,"Probability":100}}""")).Status, Is.EqualTo(HttpStatusCode.OK));

        using var client = new SmtpClient { Timeout = (int)Deadline.TotalMilliseconds };
        await client.ConnectAsync("127.0.0.1", Server.EndPoint.Port, MailKit.Security.SecureSocketOptions.None);
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message("dropped")));
        Assert.That((int)refused!.StatusCode, Is.EqualTo(421));
        Assert.That(client.IsConnected, Is.False);
    }

    [Test]
    public async Task With_a_seed_the_draws_repeat_after_a_reset()
    {
        Assert.That((await SendBodyAsync(HttpMethod.Put, "api/v1/chaos", """{"Recipient":{"ErrorCode":451,"Probability":50}}""")).Status, Is.EqualTo(HttpStatusCode.OK));
        var first = await DrawsAsync();
        using (var reset = await Http.PostAsync("api/v1/scenario/reset", null))
        {
            Assert.That(reset.IsSuccessStatusCode, Is.True);
        }

        Assert.That(await DrawsAsync(), Is.EqualTo(first));
        Assert.That(first, Does.Contain(true).And.Contains(false), "50% over 16 draws refuses some and accepts some");
    }

    /// <summary>Sixteen RCPTs over one connection: which were refused.</summary>
    private async Task<List<bool>> DrawsAsync()
    {
        var refused = new List<bool>();
        using var wire = await WireClient.ConnectAndGreetAsync(Server.EndPoint, "seeded.test");
        await wire.CommandAsync("MAIL FROM:<a@example.test>");
        for (var i = 0; i < 16; i++)
        {
            refused.Add((await wire.CommandAsync($"RCPT TO:<r{i}@example.test>"))[^1].StartsWith("451", StringComparison.Ordinal));
        }

        return refused;
    }
}
