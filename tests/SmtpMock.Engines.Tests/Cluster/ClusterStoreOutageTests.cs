using SmtpMock.Engines.Tests.Harness;
using SmtpMock.Server.Capture;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>
/// Issue #21 test 6 (PostgreSQL): with the store stopped, the end of a message gets 451 (never a 250 for a message
/// that is not stored), and once PostgreSQL is back the same instances accept and store again by themselves.
/// </summary>
[TestFixture]
internal sealed class ClusterStoreOutageTests : ClusterFixture
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(20);

    [Test]
    public async Task The_end_of_a_message_gets_451_while_postgresql_is_down_and_250_once_it_is_back()
    {
        await using var cluster = await StartClusterAsync();
        var answers = new List<(string Subject, int Code, string Stage)>();
        async Task<int> SendAsync(int instance, string subject)
        {
            var (code, stage) = await ClusterMail.SendAsync(cluster.Haproxy.PortOf(instance), ClusterMail.Message("outage@example.org", subject));
            answers.Add((subject, code, stage));
            return code;
        }

        Assert.That(await SendAsync(0, "before"), Is.EqualTo(250));

        await Postgres.StopAsync();
        Assert.That(await SendAsync(1, "during"), Is.EqualTo(451), $"b during the outage: {string.Join("; ", answers)}");
        Assert.That(answers[^1].Stage, Is.EqualTo("MessageNotAccepted"), "refused at the end of DATA");

        await Postgres.StartAgainAsync();
        var attempt = 0;
        await Poll.UntilAsync(
            async _ => await SendAsync(2, $"after {++attempt}") == 250,
            Recovery,
            $"c accepting again after PostgreSQL came back: {string.Join("; ", answers)}");

        var accepted = answers.Where(a => a.Code == 250).Select(a => a.Subject).ToList();
        var stored = await cluster.A.Server.Messages.QueryAsync(new MessageQuery { Limit = 100 }, CancellationToken.None);
        var subjects = stored.Items.Select(m => m.Summary.Subject).ToList();
        Assert.That(subjects, Is.EquivalentTo(accepted), $"exactly the acknowledged messages, each once: {string.Join("; ", answers)}");
        Assert.That(answers.Where(a => a.Code != 250).Select(a => a.Code), Is.All.EqualTo(451), "every refusal a temporary one");
    }
}
