using System.Globalization;

namespace SmtpMock.Load.Tests.Slowloris;

/// <summary>
/// Issue #24, load test 1: a thousand connections that send one byte a second, half of them inside a command line
/// and half inside a message's content, while a normal client sends 2,000 messages. The server runs as a real
/// process with the per-address limit raised (all of them come from 127.0.0.1) and short deadlines, so that the
/// test ends in about half a minute: <c>--command-timeout 20 --data-timeout 5 --data-deadline 20</c>. A byte a
/// second is never silent for the 5 s data timeout, so only the whole-message deadline can end the ones in DATA.
/// </summary>
[TestFixture]
public sealed class SlowlorisTests
{
    private const int SlowInCommand = 500;
    private const int SlowInData = 500;
    private const int Messages = 2000;
    private const int MessagesPerSession = 20;
    private const int DeadlineSeconds = 20;

    /// <summary>The bystander's 99th percentile transaction: about 1 ms on an idle machine (its figures are printed).</summary>
    private const double TransactionP99Milliseconds = 50;

    /// <summary>
    /// Peak RSS of the server: about 55 MiB after the warm-up, 85 MiB with the thousand slow sessions open and 110 MiB
    /// at the peak (their 421s and kept transcripts, the 2,000 kept messages). 160 MiB leaves room for the collector's
    /// slack and is still far below what a buffer per slow byte, or sessions never cut, would take.
    /// </summary>
    private const double PeakRssMiB = 160;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(DeadlineSeconds);

    /// <summary>How late a slow session may be cut on a busy machine: its timer is due at the deadline.</summary>
    private static readonly TimeSpan Lateness = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_thousand_clients_sending_a_byte_a_second_do_not_slow_a_normal_client_and_are_cut_at_their_deadlines()
    {
        var seconds = DeadlineSeconds.ToString(CultureInfo.InvariantCulture);
        await using var server = await ServerProcess.StartAsync(
            "--max-connections", "2000", "--max-connections-per-ip", "2000",
            "--command-timeout", seconds, "--data-timeout", "5", "--data-deadline", seconds);
        await Bystander.SendAsync(server.EndPoint, 20, MessagesPerSession, "warm-up");
        var idle = ProcessFigures.Of(server.Pid);
        TestContext.Out.WriteLine($"server after 20 warm-up messages: {idle}");

        var slow = new List<SlowClient>();
        try
        {
            for (var i = 0; i < SlowInCommand + SlowInData; i++)
            {
                slow.Add(await SlowClient.OpenAsync(server.EndPoint, i % 2 == 0 ? SlowClient.Where.InCommand : SlowClient.Where.InData, i));
            }

            var endings = slow.Select(s => s.TrickleUntilClosedAsync(Deadline + Lateness)).ToArray();
            var (transactions, greetings) = await Bystander.SendAsync(server.EndPoint, Messages, MessagesPerSession, "bystander");
            var stillOpen = slow.Count(s => s.Open);
            var loaded = ProcessFigures.Of(server.Pid);
            TestContext.Out.WriteLine(transactions);
            TestContext.Out.WriteLine(greetings);
            TestContext.Out.WriteLine($"server with {stillOpen} slow sessions open after the bystander's {Messages} messages: {loaded}");

            var closed = await Task.WhenAll(endings);
            var after = ProcessFigures.Of(server.Pid);
            TestContext.Out.WriteLine($"slow sessions cut after {closed.Min(c => c.SinceSetUp.TotalSeconds):0.0} to {closed.Max(c => c.SinceSetUp.TotalSeconds):0.0} s (deadline {seconds} s), having sent {slow.Min(s => s.Sent)} to {slow.Max(s => s.Sent)} bytes each");
            TestContext.Out.WriteLine($"server after they ended: {after}");

            Assert.Multiple(() =>
            {
                Assert.That(stillOpen, Is.EqualTo(slow.Count), "every slow client was still trickling when the bystander finished (else the load ended early)");
                Assert.That(transactions.Count, Is.EqualTo(Messages), "every bystander message was accepted");
                Assert.That(transactions.Percentile(99), Is.LessThan(TransactionP99Milliseconds), "the bystander's p99 transaction, ms");
                Assert.That(greetings.Max, Is.LessThan(1000), "the slowest bystander connect, greeting and EHLO, ms (a starved accept loop)");
                for (var i = 0; i < slow.Count; i++)
                {
                    var expected = slow[i].At == SlowClient.Where.InCommand
                        ? "421 4.4.2 Timeout exceeded, closing connection\r\n"
                        : "421 4.4.2 Message took too long to arrive, closing connection\r\n";
                    Assert.That(closed[i].Tail, Is.EqualTo(expected), $"slow client {i} ({slow[i].At}): its last reply");
                    Assert.That(closed[i].SinceSetUp, Is.GreaterThan(Deadline - TimeSpan.FromSeconds(1)), $"slow client {i} ({slow[i].At}): not cut before its deadline");
                }

                Assert.That(after.PeakRssMiB, Is.LessThan(PeakRssMiB), "the server's peak RSS, MiB");
                Assert.That(after.Descriptors, Is.LessThanOrEqualTo(idle.Descriptors + 10), "descriptors once the slow sessions ended (each held one)");
            });
        }
        finally
        {
            foreach (var client in slow)
            {
                client.Dispose();
            }
        }
    }
}
