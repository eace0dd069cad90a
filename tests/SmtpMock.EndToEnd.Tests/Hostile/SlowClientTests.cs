using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// Slow clients on an injected clock: a command trickled one byte at a time gets 421 4.4.2 when the per-command
/// deadline passes (each byte does not buy more time), silence inside DATA gets it after the data timeout, and a
/// client that is slow but finishes each command in time is never cut. Other sessions are served meanwhile.
/// </summary>
[TestFixture]
public sealed class SlowClientTests
{
    private const string TimeoutReply = "421 4.4.2 Timeout exceeded, closing connection";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DataTimeout = TimeSpan.FromMinutes(10);

    private FakeTimeProvider _clock = null!;
    private SmtpMockServer _server = null!;

    [SetUp]
    public async Task StartServer()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
        _server = await TestServer.StartAsync(o => o with { TimeProvider = _clock, CommandTimeout = CommandTimeout, DataTimeout = DataTimeout });
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeWithinAsync(TimeSpan.FromSeconds(30));

    [Test]
    public async Task A_command_sent_one_byte_a_minute_gets_421_when_the_command_deadline_passes()
    {
        await using var slow = await WireClient.ConnectAndGreetAsync(_server.EndPoint, "slow.test");
        // The EHLO reply has arrived, so the deadline for the next command is set: now + 5 min.

        var bytes = "MAIL FROM:<slow@example.com>\r\n";
        var minute = TimeSpan.FromMinutes(1);
        for (var i = 0; i < 4; i++)
        {
            await slow.WriteAsync(bytes[i].ToString());
            _clock.Advance(minute);
        }

        // Four minutes into a command that has four bytes: another client is served at full speed meanwhile.
        await _server.AssertBystanderServedAsync("beside-slow");

        await slow.WriteAsync(bytes[4].ToString());
        _clock.Advance(minute);

        Assert.That((await slow.ReadReplyAsync()).Single(), Is.EqualTo(TimeoutReply));
        Assert.That(await slow.ReadUntilClosedAsync(), Is.Empty);
        var session = await _server.WaitForSessionAsync(1, "slow.test");
        Assert.That(session.EndReason, Is.EqualTo("command timeout"));
        Assert.That(session.EndedAt - session.StartedAt, Is.EqualTo(CommandTimeout), "cut exactly at the deadline of the clock");
        await _server.AssertBystanderServedAsync("after-slow");
    }

    [Test]
    public async Task A_client_that_finishes_each_command_in_time_is_never_cut()
    {
        await using var patient = await WireClient.ConnectAndGreetAsync(_server.EndPoint, "patient.test");
        var almost = CommandTimeout - TimeSpan.FromSeconds(1);

        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(almost);
            Assert.That((await patient.CommandAsync("NOOP")).Single(), Is.EqualTo("250 2.0.0 OK"), $"NOOP {i + 1}, {(i + 1) * almost.TotalSeconds} s in");
        }

        _clock.Advance(almost);
        await _server.AssertTransactionAsync(patient, "patient");
    }

    [Test]
    public async Task Silence_inside_data_gets_421_after_the_data_timeout_and_the_message_is_not_captured()
    {
        await using var silent = await WireClient.ConnectAndGreetAsync(_server.EndPoint, "silent.test");
        await silent.WriteAsync("MAIL FROM:<silent@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        Assert.That((await silent.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.0"));
        Assert.That((await silent.ReadReplyAsync()).Single(), Does.StartWith("250 2.1.5"));
        Assert.That((await silent.ReadReplyAsync()).Single(), Does.StartWith("354 "));
        // The 354 has arrived, so the data deadline is set: now + 10 min. (Content sent now would move it at a
        // moment this test cannot observe, so the client stays silent from here.)

        // Past the command timeout but within the data timeout: DATA has its own, longer deadline.
        _clock.Advance(CommandTimeout + TimeSpan.FromSeconds(1));
        var bystander = await _server.AssertBystanderServedAsync("beside-silent");
        _clock.Advance(DataTimeout - CommandTimeout);

        Assert.That((await silent.ReadReplyAsync()).Single(), Is.EqualTo(TimeoutReply));
        Assert.That(await silent.ReadUntilClosedAsync(), Is.Empty);
        var session = await _server.WaitForSessionAsync(1, "silent.test");
        Assert.That(session.EndReason, Is.EqualTo("data timeout; open transaction discarded"));
        Assert.That(_server.Messages.Ids(), Is.EqualTo(new[] { bystander }));
    }
}
