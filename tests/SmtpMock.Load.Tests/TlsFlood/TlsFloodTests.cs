using System.Globalization;

namespace SmtpMock.Load.Tests.TlsFlood;

/// <summary>
/// Issue #24, load test 2: 500 STARTTLS handshakes that stall after the ClientHello (half send it whole and then
/// nothing, half only its first 40 octets), then 200 that complete, all at once, while a plaintext client sends
/// 2,000 messages. The real process, with its own certificate, the per-address limit raised (all come from
/// 127.0.0.1) and <c>--command-timeout 15</c>, which bounds a handshake: the stalled ones must be closed by it.
/// </summary>
[TestFixture]
public sealed class TlsFloodTests
{
    private const int Stalled = 500;
    private const int Completed = 200;
    private const int PartialHello = 40;
    private const int Messages = 2000;
    private const int MessagesPerSession = 20;
    private const int TimeoutSeconds = 15;

    /// <summary>The plaintext client's 99th percentile transaction, with 200 handshakes on the same 2 cores at its start.</summary>
    private const double TransactionP99Milliseconds = 100;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(TimeoutSeconds);
    private static readonly TimeSpan Lateness = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Stalled_and_completing_handshakes_do_not_slow_a_plaintext_client_and_the_stalled_are_closed_at_the_command_timeout()
    {
        using var certificate = TestCertificate.Create();
        await using var server = await ServerProcess.StartAsync(
        [
            "--max-connections", "2000", "--max-connections-per-ip", "2000",
            "--command-timeout", TimeoutSeconds.ToString(CultureInfo.InvariantCulture), .. certificate.Flags,
        ]);
        await Bystander.SendAsync(server.EndPoint, 20, MessagesPerSession, "warm-up");
        await StartTlsClient.CompleteAsync(server.EndPoint, certificate, 0);
        var idle = ProcessFigures.Of(server.Pid);
        TestContext.Out.WriteLine($"server after the warm-up: {idle}");
        var hello = await ClientHello.CaptureAsync();

        var stalled = new List<RawConnection>();
        try
        {
            var stalls = new List<Task<TimeSpan>>();
            for (var i = 0; i < Stalled; i++)
            {
                var connection = await StartTlsClient.UpToStartTlsAsync(server.EndPoint, $"stall{i.ToString(CultureInfo.InvariantCulture)}.test");
                stalled.Add(connection);
                stalls.Add(StartTlsClient.StallAsync(connection, i % 2 == 0 ? hello : hello.AsMemory(0, PartialHello), Timeout + Lateness));
            }

            var handshakes = Enumerable.Range(1, Completed).Select(i => StartTlsClient.CompleteAsync(server.EndPoint, certificate, i)).ToArray();
            var (transactions, greetings) = await Bystander.SendAsync(server.EndPoint, Messages, MessagesPerSession, "plaintext");
            var stillStalled = stalls.Count(s => !s.IsCompleted);
            var loaded = ProcessFigures.Of(server.Pid);
            var handshakeTimes = new Latencies("completed STARTTLS handshake");
            foreach (var time in await Task.WhenAll(handshakes))
            {
                handshakeTimes.Add(time);
            }

            TestContext.Out.WriteLine(transactions);
            TestContext.Out.WriteLine(greetings);
            TestContext.Out.WriteLine(handshakeTimes);
            TestContext.Out.WriteLine($"server with {stillStalled} stalled handshakes after the plaintext client's {Messages} messages: {loaded}");

            var cut = await Task.WhenAll(stalls);
            var after = ProcessFigures.Of(server.Pid);
            TestContext.Out.WriteLine($"stalled handshakes closed {cut.Min().TotalSeconds:0.0} to {cut.Max().TotalSeconds:0.0} s after their ClientHello (command timeout {TimeoutSeconds} s)");
            TestContext.Out.WriteLine($"server after they were closed: {after}");

            Assert.Multiple(() =>
            {
                Assert.That(stillStalled, Is.EqualTo(Stalled), "every stalled handshake was still open when the plaintext client finished (else the load ended early)");
                Assert.That(handshakeTimes.Count, Is.EqualTo(Completed), "every completing handshake completed");
                Assert.That(transactions.Count, Is.EqualTo(Messages), "every plaintext message was accepted");
                Assert.That(transactions.Percentile(99), Is.LessThan(TransactionP99Milliseconds), "the plaintext client's p99 transaction, ms");
                Assert.That(greetings.Max, Is.LessThan(1000), "the slowest plaintext connect, greeting and EHLO, ms");
                Assert.That(cut.Min(), Is.GreaterThan(Timeout - TimeSpan.FromSeconds(1)), "no stalled handshake closed before the command timeout");
                Assert.That(after.Descriptors, Is.LessThanOrEqualTo(idle.Descriptors + 10), "descriptors once the stalled ones were closed (each held one)");
            });
        }
        finally
        {
            foreach (var connection in stalled)
            {
                connection.Dispose();
            }
        }
    }
}
