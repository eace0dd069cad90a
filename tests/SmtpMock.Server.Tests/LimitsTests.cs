using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests;

/// <summary>PROTOCOL.md "Limits" and "Connection and resources", at the session level.</summary>
public class LimitsTests
{
    [Test]
    public async Task A_512_octet_command_is_accepted_and_513_gets_500()
    {
        var noop512 = "NOOP " + new string('x', 505) + "\r\n";
        var noop513 = "NOOP " + new string('x', 506) + "\r\n";
        Assert.That(noop512.Length, Is.EqualTo(512));
        await ExpectAsync(noop512 + noop513 + "NOOP\r\n", "250 2.0.0", "500 5.5.2", "250 2.0.0");
    }

    [Test]
    public async Task Mail_gets_the_size_and_auth_allowance_before_its_line_is_too_long()
    {
        var withAuth = "MAIL FROM:<a@b.example> SIZE=1000 AUTH=" + new string('x', 600) + "\r\n";
        var tooLong = "MAIL FROM:<a@b.example> SIZE=1000 AUTH=" + new string('x', 1000) + "\r\n";
        Assert.That(withAuth.Length, Is.InRange(513, 512 + 526));
        Assert.That(tooLong.Length, Is.GreaterThan(512 + 526));

        // Within the allowance the line is parsed (AUTH= is RFC 4954 §5's, accepted while AUTH is offered).
        await ExpectAsync(Ehlo + withAuth + "RSET\r\n" + tooLong, "250", "250 2.1.0", "250 2.0.0", "500 5.5.2");
    }

    [Test]
    public async Task A_megabyte_without_crlf_gets_one_500_and_the_session_still_answers_noop()
    {
        var flood = new string('A', 1024 * 1024) + "\r\nNOOP\r\n";
        var result = await SessionDriver.RunAsync(flood, Split.PerLine);
        Assert.That(result.Codes, Is.EqualTo(new[] { "500 5.5.2", "250 2.0.0" }));
        Assert.That(result.Session.Transcript.Lines.Any(l => l.Text.Contains("discarded")), Is.True);
    }

    [Test]
    public async Task Past_the_recipient_limit_rcpt_gets_452_and_accepted_ones_are_kept()
    {
        var options = SessionDriver.Options(o => o with { MaxRecipients = 100 });
        var rcpts = string.Concat(Enumerable.Range(1, 102).Select(i => $"RCPT TO:<r{i}@example.com>\r\n"));
        var result = await SessionDriver.RunAsync(Ehlo + Mail + rcpts + "DATA\r\n" + Message, Split.Whole, options);
        var codes = result.Codes;
        Assert.That(codes.Skip(2).Take(100), Has.All.EqualTo("250 2.1.5"));
        Assert.That(codes.Skip(102).Take(2), Has.All.EqualTo("452 4.5.3"));
        Assert.That(result.Store.Messages.Single().Recipients, Has.Count.EqualTo(100));
    }

    [Test]
    public async Task A_flood_of_unknown_commands_gets_421_after_the_bounded_count()
    {
        var options = SessionDriver.Options(o => o with { MaxBadCommands = 5 });
        var result = await ExpectAsync(string.Concat(Enumerable.Repeat("FOO\r\n", 10)), options,
            "500 5.5.2", "500 5.5.2", "500 5.5.2", "500 5.5.2", "500 5.5.2", "421 4.7.0");
        Assert.That(result.Session.EndReason, Is.EqualTo("too many bad commands"));
    }

    [Test]
    public async Task A_client_that_never_finishes_its_command_gets_421_4_4_2_at_the_deadline()
    {
        var clock = new FakeTimeProvider();
        var options = SessionDriver.Options(o => o with { TimeProvider = clock, CommandTimeout = TimeSpan.FromMinutes(5) });
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = SessionDriver.RunAsync(Splitter.Bytes("EHLO x\r\nNO"), Split.PerByte, options, hanging: waiting);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.That(run.IsCompleted, Is.False, "the deadline is five minutes");
        clock.Advance(TimeSpan.FromMinutes(1));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "421 4.4.2" }));
        Assert.That(result.Session.EndReason, Is.EqualTo("command timeout"));
    }

    [Test]
    public async Task A_silent_client_in_data_gets_421_and_its_transaction_is_discarded()
    {
        var clock = new FakeTimeProvider();
        var options = SessionDriver.Options(o => o with { TimeProvider = clock, DataTimeout = TimeSpan.FromMinutes(10) });
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + Rcpt + "DATA\r\npartial"), Split.Whole, options, hanging: waiting);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromMinutes(10));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(result.Codes.Last(), Is.EqualTo("421 4.4.2"));
        Assert.That(result.Store.Count, Is.Zero);
        Assert.That(result.Session.EndReason, Does.Contain("data timeout").And.Contain("discarded"));
    }

    [Test]
    public async Task Shutdown_sends_421_4_3_2_to_an_open_session()
    {
        using var shutdown = new CancellationTokenSource();
        var run = SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + Rcpt + "DATA\r\n" + Message + Mail), Split.Whole, shutdown: shutdown.Token, hangAtEnd: true);
        await shutdown.CancelAsync();
        var result = await run;
        Assert.That(result.Codes.Last(), Is.EqualTo("421 4.3.2"));
        Assert.That(result.Store.Count, Is.EqualTo(1), "the completed message is kept");
    }
}
