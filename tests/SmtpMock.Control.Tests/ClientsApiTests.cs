using System.Net;
using System.Text;
using MailKit.Net.Smtp;

namespace SmtpMock.Control.Tests;

public sealed class ClientsApiTests : ControlFixture
{
    private const string Greylisting = """
        name: greylist-once
        rules:
          - name: greylist
            on: RCPT
            key: [client, sender, recipient]
            times: 1
            reply: { code: 451, enhanced: 4.7.1, text: "Greylisted, please try again later" }
        """;

    [Test]
    public async Task Clients_groups_a_greylisted_attempt_and_its_retry_with_the_replies_and_the_gap()
    {
        using (var put = await Http.PutAsync("api/v1/scenario", new StringContent(Greylisting, Encoding.UTF8)))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(async () => await SendAsync(Message("first try")));
        Assert.That(refused!.StatusCode, Is.EqualTo(SmtpStatusCode.ErrorInProcessing), "451");
        await SendAsync(Message("retry"));
        await Assert.ThrowsAsync<SmtpCommandException>(async () => await SendAsync(Message("other", to: "someone-else@example.test")));
        await GetJsonAsync("api/v1/sessions/wait?count=3");

        var groups = await GetJsonAsync("api/v1/clients?recipient=bob");
        Assert.That(groups.GetArrayLength(), Is.EqualTo(1));
        var group = groups[0];
        Assert.That(group.GetProperty("key").GetString(), Is.EqualTo("127.0.0.1|alice@example.test|bob@example.test"));
        var attempts = group.GetProperty("attempts");
        Assert.That(attempts.GetArrayLength(), Is.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(attempts[0].GetProperty("reply").GetString(), Does.StartWith("451 4.7.1"));
            Assert.That(attempts[0].GetProperty("rule").GetString(), Is.EqualTo("greylist"));
            Assert.That(attempts[0].GetProperty("gapSeconds").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(attempts[1].GetProperty("reply").GetString(), Does.StartWith("250 2.0.0"));
            Assert.That(attempts[1].GetProperty("gapSeconds").GetDouble(), Is.GreaterThanOrEqualTo(0));
            Assert.That(attempts[1].GetProperty("sessionId").GetInt64(), Is.GreaterThan(attempts[0].GetProperty("sessionId").GetInt64()));
        });

        using (await Http.PostAsync("api/v1/scenario/reset", null))
        {
            Assert.That((await GetJsonAsync("api/v1/clients")).GetArrayLength(), Is.Zero, "a reset starts the retries view again");
        }
    }
}
