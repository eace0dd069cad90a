using System.Text;
using System.Text.Json;

namespace SmtpMock.Control.Tests.Compat.MailHog;

/// <summary>GET /api/v1/events: each new message as one SSE event, its JSON indented over several data lines.</summary>
[TestFixture]
public sealed class MailHogEventsTests : MailHogFixture
{
    [Test]
    public async Task A_captured_message_is_one_event_with_MailHogs_indented_json()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var response = await MailHogHttp.GetAsync("api/v1/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/event-stream"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token), Encoding.UTF8);

        await SendAsync(Message("streamed"));

        var lines = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line && line.Length > 0)
        {
            lines.Add(line);
        }

        Assert.That(lines, Has.All.StartWith("data: "));
        Assert.That(lines, Has.Some.EqualTo("data:   \"ID\": \"" + Server.Messages.Messages.Single().Id + "\","), "two-space indent, as MailHog's MarshalIndent");
        var message = JsonDocument.Parse(string.Join("\n", lines.Select(l => l["data: ".Length..]))).RootElement;
        Assert.That(message.GetProperty("Content").GetProperty("Headers").GetProperty("Subject")[0].GetString(), Is.EqualTo("streamed"));
    }
}
