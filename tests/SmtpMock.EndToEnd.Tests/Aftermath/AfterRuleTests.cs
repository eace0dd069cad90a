using Microsoft.Extensions.Time.Testing;
using MimeKit;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.EndToEnd.Tests.Aftermath;

/// <summary>A MESSAGE rule's <c>after:</c>: the message is accepted, and what it asks for comes after its delay, on the server's clock.</summary>
public sealed class AfterRuleTests
{
    private static async Task<SmtpMockServer> StartAsync(string after, TimeProvider? clock = null)
    {
        var (scenario, problems) = ScenarioLoader.Parse($"name: later\nrules:\n  - name: answer-later\n    on: MESSAGE\n    after: {after}\n", "later.yaml");
        Assert.That(problems, Is.Empty);
        var server = await TestServer.StartAsync(o => o with { TimeProvider = clock ?? TimeProvider.System });
        server.Scenarios.Activate(scenario);
        return server;
    }

    [Test]
    public async Task Bounce_rule_bounces_every_recipient_of_an_accepted_message_after_its_delay()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await StartAsync("{ bounce: 552, delay: 30s }", clock);
        var id = await AftermathKit.SendAsync(server, AftermathKit.Message("hello", "alice@example.org", "bob@example.org"));
        var accepted = (await server.Messages.GetAsync(id, CancellationToken.None))!.ReceivedAt;

        clock.Advance(TimeSpan.FromSeconds(30));
        var (captured, dsn) = await AftermathKit.GeneratedAsync(server, id, "bounce");

        Assert.That(captured.ReceivedAt - accepted, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(30)), "generated once the delay had passed on the server's clock");
        var status = ((MultipartReport)dsn.Body!).OfType<MessageDeliveryStatus>().Single();
        Assert.That(status.StatusGroups.Skip(1).Select(g => g["Final-Recipient"]), Is.EqualTo(new[] { "rfc822; alice@example.org", "rfc822; bob@example.org" }));
        Assert.That(status.StatusGroups.Skip(1).Select(g => g["Status"]), Is.All.EqualTo("5.2.2"));
    }

    [Test]
    public async Task Autoreply_rule_answers_for_each_recipient()
    {
        await using var server = await StartAsync("{ autoreply: true }");
        var id = await AftermathKit.SendAsync(server, AftermathKit.Message("hi", "carol@example.org"));

        var (_, reply) = await AftermathKit.GeneratedAsync(server, id, "autoreply");

        Assert.That(reply.Headers[HeaderId.AutoSubmitted], Is.EqualTo("auto-replied"));
        Assert.That(reply.From.Mailboxes.Single().Address, Is.EqualTo("carol@example.org"));
    }

    [Test]
    public async Task Complaint_rule_sends_the_feedback_type_it_names()
    {
        await using var server = await StartAsync("{ complaint: fraud }");
        var id = await AftermathKit.SendAsync(server, AftermathKit.Message("win", "dave@example.org"));

        var (_, arf) = await AftermathKit.GeneratedAsync(server, id, "complaint");

        Assert.That(AftermathKit.FeedbackFields(arf)["Feedback-Type"], Is.EqualTo("fraud"));
    }

    [Test]
    public async Task Stopping_the_server_drops_what_is_not_yet_due_without_errors()
    {
        var server = await StartAsync("{ bounce: 550, delay: 1h }");
        var id = await AftermathKit.SendAsync(server, AftermathKit.Message("pending", "erin@example.org"));

        using var timeout = TestServer.Timeout();
        await server.DisposeAsync().AsTask().WaitAsync(timeout.Token);

        var kept = await server.Messages.ListAsync();
        Assert.That(kept.Select(m => m.Id), Is.EqualTo(new[] { id }), "the bounce was not due, so nothing was generated");
    }

    [TestCase("  - on: RCPT\n    after: { bounce: 550 }\n", "needs 'on: MESSAGE' alone")]
    [TestCase("  - on: MESSAGE\n    after: { bounce: 250 }\n", "bounce code must be from 400 to 599")]
    [TestCase("  - on: MESSAGE\n    after: { complaint: angry }\n", "unknown complaint type 'angry'")]
    [TestCase("  - on: MESSAGE\n    after: { bounce: 550, autoreply: true }\n", "exactly one of bounce, autoreply or complaint")]
    [TestCase("  - on: MESSAGE\n    after: { autoreply: true, delay: soon }\n", "is not a duration")]
    public void A_wrong_after_is_refused_with_a_specific_problem(string rule, string problem)
    {
        var (scenario, problems) = ScenarioLoader.Parse("name: x\nrules:\n" + rule, "x.yaml");

        Assert.That(scenario, Is.Null);
        Assert.That(problems.Select(p => p.Message), Has.Some.Contains(problem));
    }

    [Test]
    public async Task A_generated_message_keeps_its_origin_in_a_store_folder_across_restarts()
    {
        var folder = Directory.CreateTempSubdirectory("smtpmock-aftermath-").FullName;
        try
        {
            string id;
            await using (var server = await TestServer.StartAsync(o => o with { StoreDirectory = folder }))
            {
                id = await AftermathKit.SendAsync(server, AftermathKit.Message("kept", "bounce@smtpmock.test"));
                await AftermathKit.GeneratedAsync(server, id, "bounce");
            }

            await using var again = await TestServer.StartAsync(o => o with { StoreDirectory = folder });
            var found = await again.Messages.QueryAsync(MessageQuery.All.With(QueryField.GeneratedFrom, id), CancellationToken.None);
            Assert.That(found.Items.Select(m => m.Origin), Is.EqualTo(new[] { new MessageOrigin("bounce", id) }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
