using System.Text;
using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests;

/// <summary>RFC 3030 CHUNKING: 250 per chunk, exact octet counts consumed even when refused.</summary>
public class BdatTests
{
    [Test]
    public async Task Chunks_are_joined_into_one_message_with_no_dot_handling()
    {
        var result = await ExpectAsync(Ehlo + Mail + Rcpt + "BDAT 12\r\nSubject: a\r\n" + "BDAT 9 LAST\r\n\r\n.\r\nbody" + "QUIT\r\n",
            "250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "250 2.0.0", "221 2.0.0");
        Assert.That(Encoding.ASCII.GetString(result.Store.Messages.Single().Raw.Span), Is.EqualTo("Subject: a\r\n\r\n.\r\nbody"));
        Assert.That(result.Lines, Has.Some.EqualTo("250 2.0.0 12 octets received"));
    }

    [Test]
    public async Task Bdat_0_last_ends_the_message()
    {
        var result = await ExpectAsync(Ehlo + Mail + Rcpt + "BDAT 5\r\nHello" + "BDAT 0 LAST\r\n", "250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "250 2.0.0");
        Assert.That(result.Store.Messages.Single().Size, Is.EqualTo(5));
    }

    [Test]
    public async Task Bdat_out_of_sequence_is_503_and_its_octets_are_still_consumed()
    {
        // The chunk holds what looks like commands: they must not be executed.
        await ExpectAsync(Ehlo + "BDAT 6\r\nNOOP\r\n" + "NOOP\r\n", "250", "503 5.5.1", "250 2.0.0");
    }

    [Test]
    public async Task Bdat_after_last_is_503_and_data_after_bdat_is_503()
    {
        await ExpectAsync(Ehlo + Mail + Rcpt + "BDAT 1 LAST\r\nx" + "BDAT 1 LAST\r\ny" + "NOOP\r\n", "250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "503 5.5.1", "250 2.0.0");
        await ExpectAsync(Ehlo + Mail + Rcpt + "BDAT 1\r\nx" + "DATA\r\n" + "BDAT 1 LAST\r\ny", "250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "503 5.5.1", "250 2.0.0");
    }

    [Test]
    public async Task A_malformed_bdat_with_a_size_consumes_its_chunk()
    {
        await ExpectAsync(Ehlo + Mail + Rcpt + "BDAT 6 NOTLAST\r\nNOOP\r\n" + "NOOP\r\n", "250", "250 2.1.0", "250 2.1.5", "501 5.5.4", "250 2.0.0");
    }

    [Test]
    public async Task Chunks_over_the_size_limit_are_refused_with_552_and_nothing_is_stored()
    {
        var options = SessionDriver.Options(o => o with { MaxMessageSize = 10 });
        var result = await ExpectAsync(Ehlo + Mail + Rcpt + "BDAT 8\r\n12345678" + "BDAT 8 LAST\r\n12345678" + "NOOP\r\n", options,
            "250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "552 5.3.4", "250 2.0.0");
        Assert.That(result.Store.Count, Is.Zero);
    }

    [Test]
    public async Task A_disconnect_mid_chunk_discards_the_transaction()
    {
        var result = await SessionDriver.RunAsync(Ehlo + Mail + Rcpt + "BDAT 100 LAST\r\nonly some", Split.PerByte);
        Assert.That(result.Store.Count, Is.Zero);
        Assert.That(result.Session.EndReason, Does.Contain("mid-message"));
    }
}
