using System.Net;

namespace SmtpMock.Control.Tests.Compat.MailHog;

/// <summary>Jim through /api/v2/jim: MailHog's statuses, and the scenario <c>mailhog-jim</c> it becomes, seeded.</summary>
[TestFixture]
public sealed class JimTests : MailHogFixture
{
    protected override int? Seed => 1234;

    [Test]
    public async Task On_and_off_with_MailHogs_statuses_and_seen_as_a_scenario()
    {
        Assert.That(await StatusAsync(HttpMethod.Get), Is.EqualTo(HttpStatusCode.NotFound), "off at start");
        Assert.That(await StatusAsync(HttpMethod.Put, "{}"), Is.EqualTo(HttpStatusCode.NotFound), "PUT needs Jim on");
        Assert.That(await StatusAsync(HttpMethod.Delete), Is.EqualTo(HttpStatusCode.NotFound));

        Assert.That(await StatusAsync(HttpMethod.Post), Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await StatusAsync(HttpMethod.Post), Is.EqualTo(HttpStatusCode.BadRequest), "on already");
        Assert.That(Server.Scenarios.Active?.Name, Is.EqualTo("mailhog-jim"));
        var scenario = await GetJsonAsync("api/v1/scenario");
        Assert.That(scenario.GetProperty("yaml").GetString(), Does.Contain("seed: 1234").And.Contain("jim-reject-sender"), "our page shows the YAML Jim became");

        Assert.That(await StatusAsync(HttpMethod.Put, """{"AcceptChance":1,"RejectSenderChance":0.5}"""), Is.EqualTo(HttpStatusCode.OK));
        var jim = await MailHogJsonAsync("api/v2/jim");
        Assert.That(jim.GetProperty("RejectSenderChance").GetDouble(), Is.EqualTo(0.5));
        Assert.That(jim.GetProperty("DisconnectChance").GetDouble(), Is.Zero, "as MailHog, a body replaces every value");
        Assert.That(Server.Scenarios.Active!.Rules.Select(r => r.Name), Is.EqualTo(new[] { "jim-reject-sender" }), "a chance of 0 is no rule");

        Assert.That(await StatusAsync(HttpMethod.Put, """{"AcceptChance":1.5}"""), Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await StatusAsync(HttpMethod.Delete), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Server.Scenarios.Active, Is.Null, "off: the server answers correctly again");
        Assert.That(await StatusAsync(HttpMethod.Get), Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Rejections_are_MailHogs_and_seeded_draws_repeat()
    {
        const string Body = """{"AcceptChance":1,"RejectRecipientChance":0.5}""";
        Assert.That(await StatusAsync(HttpMethod.Post, Body), Is.EqualTo(HttpStatusCode.Created));
        var first = await RecipientRepliesAsync(24);
        Assert.That(first, Does.Contain("550 5.1.1 Invalid recipient").And.Contain("250"), string.Join(", ", first));

        // Off and on again with the same values: a fresh activation, the same seed, the same failures.
        Assert.That(await StatusAsync(HttpMethod.Delete), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StatusAsync(HttpMethod.Post, Body), Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await RecipientRepliesAsync(24), Is.EqualTo(first));
    }

    [Test]
    public async Task A_refused_connection_gets_no_greeting()
    {
        Assert.That(await StatusAsync(HttpMethod.Post, """{"AcceptChance":0}"""), Is.EqualTo(HttpStatusCode.Created));
        await using var client = await WireClient.ConnectAsync(Server.EndPoint);
        Assert.That(await client.ReadUntilClosedAsync(), Is.Empty);
    }

    /// <summary>One MAIL, then <paramref name="count"/> RCPTs: each reply's code and text (enhanced code kept).</summary>
    private async Task<string[]> RecipientRepliesAsync(int count)
    {
        await using var client = await WireClient.ConnectAndGreetAsync(Server.EndPoint);
        Assert.That((await client.CommandAsync("MAIL FROM:<a@example.test>"))[^1], Does.StartWith("250"));
        var replies = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var reply = (await client.CommandAsync($"RCPT TO:<r{i}@example.test>"))[^1];
            replies.Add(reply.StartsWith("250", StringComparison.Ordinal) ? "250" : reply);
        }

        return [.. replies];
    }

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string? body = null)
    {
        using var request = new HttpRequestMessage(method, "api/v2/jim") { Content = body is null ? null : new StringContent(body) };
        using var response = await MailHogHttp.SendAsync(request);
        return response.StatusCode;
    }
}
