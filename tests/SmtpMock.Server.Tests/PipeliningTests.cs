using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests;

/// <summary>RFC 2920: replies in order, flushed together when the input runs dry, no input discarded.</summary>
public class PipeliningTests
{
    [Test]
    public async Task A_burst_in_one_read_gets_its_replies_in_order_in_one_write()
    {
        var burst = Mail + Rcpt + "RCPT TO:<bad@>\r\n" + "RCPT TO:<carol@example.com>\r\nDATA\r\n";
        var result = await SessionDriver.RunAsync(Ehlo + burst, Split.Whole);
        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "250 2.1.0", "250 2.1.5", "501 5.1.3", "250 2.1.5", "354" }));
        Assert.That(result.Writes, Is.EqualTo(2), "the greeting, then every reply of the burst in one flush");
    }

    [Test]
    public async Task Each_read_is_answered_before_the_next_one_is_waited_for()
    {
        var result = await SessionDriver.RunAsync(Ehlo + "NOOP\r\nNOOP\r\n", Split.PerLine);
        Assert.That(result.Writes, Is.EqualTo(4));
    }

    [Test]
    public async Task Commands_after_the_end_of_data_in_the_same_read_are_not_lost()
    {
        var result = await SessionDriver.RunAsync(Ehlo + Mail + Rcpt + "DATA\r\n" + Message + Mail + Rcpt + "DATA\r\n" + Message + "QUIT\r\n", Split.Whole);
        Assert.That(result.Codes, Is.EqualTo(new[] { "250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "221 2.0.0" }));
        Assert.That(result.Store.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task Nothing_is_read_or_answered_after_quit()
    {
        var result = await SessionDriver.RunAsync("QUIT\r\nNOOP\r\nNOOP\r\n", Split.Whole);
        Assert.That(result.Codes, Is.EqualTo(new[] { "221 2.0.0" }));
    }
}
