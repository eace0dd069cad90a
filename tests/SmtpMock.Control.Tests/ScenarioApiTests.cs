using System.Net;
using System.Text;
using MailKit.Net.Smtp;

namespace SmtpMock.Control.Tests;

public sealed class ScenarioApiTests : ControlFixture
{
    private const string SecondRcpt503 = """
        name: second-rcpt-503
        rules:
          - name: second-rcpt
            on: RCPT
            when:
              nth: 2
              per: transaction
            reply: 503
        """;

    [Test]
    public async Task Put_valid_yaml_activates_it_and_the_session_transcript_names_the_rule()
    {
        using (var put = await PutAsync(SecondRcpt503))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var message = Message("two recipients");
        message.To.Add(MimeKit.MailboxAddress.Parse("second@example.test"));
        await Assert.ThrowsAsync<SmtpCommandException>(async () => await SendAsync(message));

        var scenario = await GetJsonAsync("api/v1/scenario");
        Assert.That(scenario.GetProperty("name").GetString(), Is.EqualTo("second-rcpt-503"));
        Assert.That(scenario.GetProperty("yaml").GetString(), Is.EqualTo(SecondRcpt503));
        Assert.That(scenario.GetProperty("rules")[0].GetProperty("fired").GetInt32(), Is.EqualTo(1));
        Assert.That(scenario.GetProperty("rules")[0].GetProperty("line").GetInt32(), Is.EqualTo(3));

        var sessions = await GetJsonAsync("api/v1/sessions/wait?count=1");
        var id = sessions[0].GetProperty("id").GetInt64();
        Assert.That(sessions[0].GetProperty("faults").GetInt32(), Is.EqualTo(1));
        var detail = await GetJsonAsync($"api/v1/sessions/{id}");
        var injected = detail.GetProperty("transcript").EnumerateArray().Single(e => e.GetProperty("rule").GetString() == "second-rcpt");
        Assert.That(injected.GetProperty("direction").GetString(), Is.EqualTo("out"));
        Assert.That(injected.GetProperty("line").GetString(), Does.StartWith("503 "));
        Assert.That(detail.GetProperty("heloName").GetString(), Is.EqualTo("mailkit.test"));

        using (var reset = await Http.PostAsync("api/v1/scenario/reset", null))
        {
            Assert.That((await ReadJsonAsync(reset)).GetProperty("rules")[0].GetProperty("fired").GetInt32(), Is.Zero);
        }

        using (var cleared = await Http.DeleteAsync("api/v1/scenario"))
        {
            Assert.That((await ReadJsonAsync(cleared)).GetProperty("name").GetString(), Is.Null);
        }

        Assert.That(Server.Scenarios.Active, Is.Null);
    }

    [Test]
    public async Task Put_invalid_yaml_is_400_with_problems_at_their_line_and_the_old_scenario_stays()
    {
        using (await PutAsync(SecondRcpt503))
        {
            Assert.That(Server.Scenarios.Active?.Name, Is.EqualTo("second-rcpt-503"));
        }

        using var bad = await PutAsync("name: broken\nrules:\n  - name: x\n    on: RCPT\n    reply: 999\n");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(bad.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var problem = (await ReadJsonAsync(bad)).GetProperty("problems")[0];
        Assert.That(problem.GetProperty("line").GetInt32(), Is.EqualTo(5));
        Assert.That(problem.GetProperty("file").GetString(), Is.EqualTo("request.yaml"));
        Assert.That(Server.Scenarios.Active?.Name, Is.EqualTo("second-rcpt-503"));
    }

    [Test]
    public async Task Put_by_name_of_an_unknown_scenario_is_404_and_an_empty_body_is_400()
    {
        using var unknown = await Http.PutAsync("api/v1/scenario?name=nope", null);
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var empty = await PutAsync(string.Empty);
        Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private Task<HttpResponseMessage> PutAsync(string yaml) =>
        Http.PutAsync("api/v1/scenario", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
}
