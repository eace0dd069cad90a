using System.Net;
using System.Text.Json;

namespace SmtpMock.Control.Tests;

/// <summary>
/// Messages the server generated after acceptance, linked both ways in the API; and tags as one test's mailbox on a
/// shared server: the list, the wait and the delete filter by them, and the AUTH user is one.
/// </summary>
public sealed class GeneratedAndTaggedApiTests : ControlFixture
{
    [Test]
    public async Task A_bounce_names_its_original_and_the_original_lists_what_it_produced()
    {
        await SendAsync(Message("order", to: "bounce@smtpmock.test"));
        var original = (await GetJsonAsync("api/v1/messages/wait?count=1&to=bounce@smtpmock.test")).GetProperty("items")[0].GetProperty("id").GetString();

        var generated = (await GetJsonAsync($"api/v1/messages/wait?count=1&generatedFrom={original}")).GetProperty("items")[0];
        Assert.That(generated.GetProperty("generatedFrom").GetProperty("kind").GetString(), Is.EqualTo("bounce"));
        Assert.That(generated.GetProperty("generatedFrom").GetProperty("id").GetString(), Is.EqualTo(original));
        var bounce = generated.GetProperty("id").GetString();

        var originalDetail = await GetJsonAsync($"api/v1/messages/{original}");
        var produced = originalDetail.GetProperty("produced");
        Assert.That(produced.GetArrayLength(), Is.EqualTo(1));
        Assert.That(produced[0].GetProperty("kind").GetString(), Is.EqualTo("bounce"));
        Assert.That(produced[0].GetProperty("id").GetString(), Is.EqualTo(bounce));
        Assert.That(originalDetail.GetProperty("generatedFrom").ValueKind, Is.EqualTo(JsonValueKind.Null));

        var bounceDetail = await GetJsonAsync($"api/v1/messages/{bounce}");
        Assert.That(bounceDetail.GetProperty("generatedFrom").GetProperty("id").GetString(), Is.EqualTo(original));
        Assert.That(bounceDetail.GetProperty("produced").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Wait_and_delete_take_a_tag_and_leave_other_tags_alone()
    {
        await SendAsync(Message("mine", to: "bob+alpha@example.test"), Message("theirs", to: "bob+beta@example.test"));

        var alpha = await GetJsonAsync("api/v1/messages/wait?count=1&tag=alpha");
        Assert.That(Subjects(alpha), Is.EqualTo(new[] { "mine" }));

        using (var delete = await Http.DeleteAsync("api/v1/messages?tag=alpha"))
        {
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        Assert.That(Subjects(await GetJsonAsync("api/v1/messages")), Is.EqualTo(new[] { "theirs" }));
        Assert.That(Subjects(await GetJsonAsync("api/v1/messages?tag=alpha")), Is.Empty);
    }

    [Test]
    public async Task The_user_who_logged_in_is_a_tag()
    {
        await SendAsync(tls: true, user: "team-a", mechanism: "PLAIN", Message("as team a"));
        await SendAsync(Message("anonymous"));

        var tagged = await GetJsonAsync("api/v1/messages/wait?count=1&tag=team-a");

        Assert.That(Subjects(tagged), Is.EqualTo(new[] { "as team a" }));
    }

    [Test]
    public async Task A_session_says_which_scenario_it_ran_and_how_it_came_to_it()
    {
        await UseScenarioAsync(RefuseSecondRecipient);
        await SendAsync(Message("under a scenario"));
        var id = (await GetJsonAsync("api/v1/sessions/wait?count=1"))[0].GetProperty("id").GetInt64();

        var session = await GetJsonAsync($"api/v1/sessions/{id}");

        Assert.That(session.GetProperty("scenario").GetString(), Is.EqualTo("second-rcpt-503"));
        Assert.That(session.GetProperty("scenarioChosenBy").GetString(), Is.EqualTo("active"));
    }

    private static string?[] Subjects(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("subject").GetString())];
}
