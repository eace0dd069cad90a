using System.Net;
using System.Text.Json;
using SmtpMock.Engines.Tests.Harness;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>Issue #21 test 4: any instance's API serves every instance's messages and sessions.</summary>
[TestFixture]
internal sealed class ClusterApiTests : ClusterFixture
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Test]
    public async Task A_wait_on_c_returns_the_messages_a_and_b_captured()
    {
        await using var cluster = await StartClusterAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        var waiting = cluster.C.Http.GetAsync(new Uri("api/v1/messages/wait?count=2&to=waited@example.org&timeout=10s", UriKind.Relative), timeout.Token);

        Assert.That((await ClusterMail.SendAsync(cluster.Haproxy.PortOf(0), ClusterMail.Message("waited@example.org", "captured by a"))).Code, Is.EqualTo(250));
        Assert.That((await ClusterMail.SendAsync(cluster.Haproxy.PortOf(1), ClusterMail.Message("waited@example.org", "captured by b"))).Code, Is.EqualTo(250));

        using var answer = await waiting;
        var body = await answer.Content.ReadAsStringAsync(timeout.Token);
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        using var page = JsonDocument.Parse(body);
        var subjects = page.RootElement.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("subject").GetString()).ToList();
        Assert.That(subjects, Is.EquivalentTo(new[] { "captured by a", "captured by b" }), body);
        Assert.That(cluster.C.Server.FinishedSessions, Is.Empty, "c captured none of them itself");
    }

    [Test]
    public async Task The_event_stream_on_b_shows_a_session_opened_on_a()
    {
        await using var cluster = await StartClusterAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/v1/events", UriKind.Relative));
        using var stream = await cluster.B.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.That(stream.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));

        Assert.That((await ClusterMail.SendAsync(cluster.Haproxy.PortOf(0), ClusterMail.Message("seen@example.org", "on a"))).Code, Is.EqualTo(250));

        var seen = new List<string>();
        JsonElement? opened = null;
        try
        {
            while (opened is null && await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                seen.Add(line);
                if (seen.Count >= 2 && seen[^2] == "event: session-opened" && line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    opened = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"no session-opened on b's stream within {Deadline.TotalSeconds} s; it had:\n{string.Join('\n', seen)}");
        }

        Assert.That(opened, Is.Not.Null, $"b's stream ended without a session-opened:\n{string.Join('\n', seen)}");
        Assert.That(opened!.Value.GetProperty("instance").GetString(), Is.EqualTo("a"), string.Join('\n', seen));
        Assert.That(opened.Value.GetProperty("line").GetString(), Does.StartWith("127.0.0.1:"), "the client HAProxy's header named");
        Assert.That(cluster.B.Server.FinishedSessions.Concat(cluster.B.Server.OpenSessions), Is.Empty, "b had no session of its own");
    }

    [Test]
    public async Task The_metrics_on_c_count_the_sessions_a_and_b_served()
    {
        await using var cluster = await StartClusterAsync();
        Assert.That((await ClusterMail.SendAsync(cluster.Haproxy.PortOf(0), ClusterMail.Message("counted@example.org", "on a"))).Code, Is.EqualTo(250));
        Assert.That((await ClusterMail.SendAsync(cluster.Haproxy.PortOf(1), ClusterMail.Message("counted@example.org", "on b"))).Code, Is.EqualTo(250));
        Assert.That((await ClusterMail.SendAsync(cluster.Haproxy.PortOf(1), ClusterMail.Message("counted@example.org", "on b again"))).Code, Is.EqualTo(250));

        var metrics = string.Empty;
        await Poll.UntilAsync(
            async token =>
            {
                metrics = await cluster.C.Http.GetStringAsync(new Uri("metrics", UriKind.Relative), token);
                return metrics.Contains("smtpmock_cluster_sessions_total{instance=\"a\"} 1\n", StringComparison.Ordinal)
                    && metrics.Contains("smtpmock_cluster_sessions_total{instance=\"b\"} 2\n", StringComparison.Ordinal)
                    && metrics.Contains("smtpmock_cluster_connections_active{instance=\"b\"} 0\n", StringComparison.Ordinal);
            },
            Deadline,
            "c's /metrics counting a's session and b's two, none open");

        Assert.That(metrics, Does.Contain("smtpmock_cluster_connections_active{instance=\"a\"} 0\n"), metrics);
        Assert.That(metrics, Does.Not.Contain("{instance=\"c\"}"), "c's own sessions are in smtpmock_sessions_total, not counted twice");
        Assert.That(metrics, Does.Contain("smtpmock_sessions_total 0\n"), "c served none itself");
    }
}
