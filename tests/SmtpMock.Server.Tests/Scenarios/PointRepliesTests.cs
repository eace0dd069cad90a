using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests.Scenarios;

/// <summary>
/// A rule or a failure address that gives only a code gets the enhanced code and text that fit where the session is
/// (issue #19 item 12: <c>reply: 554</c> at MESSAGE sent <c>5.5.1</c>, "invalid command", after a final dot).
/// </summary>
public class PointRepliesTests
{
    private static readonly int[] Codes = [.. Enumerable.Range(200, 400).Where(c => c / 100 != 3 || c is 334 or 354)];

    private static IEnumerable<ScenarioPoint> Points => ScenarioPoints.All;

    [Test]
    public void Every_code_at_every_point_has_a_well_formed_enhanced_code_of_its_class_or_none_where_none_is_sent()
    {
        foreach (var point in Points)
        {
            foreach (var code in Codes)
            {
                var reply = PointReplies.For(point, code);
                if (PointReplies.CarriesNoEnhancedCode(point) || code / 100 == 3)
                {
                    Assert.That(reply.Enhanced, Is.Null, $"{code} at {point.Name()}");
                }
                else
                {
                    Assert.That(EnhancedStatusCode.IsValidFor(code, reply.Enhanced!), Is.True, $"{code} {reply.Enhanced} at {point.Name()}");
                }

                Assert.That(reply.Lines, Has.Count.EqualTo(1).And.All.Not.Empty, $"{code} at {point.Name()}");
            }
        }
    }

    [Test]
    public void A_refusal_of_a_message_never_calls_it_a_bad_command()
    {
        // X.5.x is "mail delivery protocol status": a syntax or sequence problem, never what is wrong with content.
        foreach (var point in new[] { ScenarioPoint.Message, ScenarioPoint.Bdat })
        {
            foreach (var code in new[] { 450, 451, 452, 550, 552, 553, 554 })
            {
                Assert.That(PointReplies.EnhancedFor(point, code), Does.Not.Match(@"^\d\.5\."), $"{code} at {point.Name()}");
            }
        }
    }

    [TestCase(ScenarioPoint.Message, 554, "554 5.6.0 Message content rejected")]
    [TestCase(ScenarioPoint.Message, 552, "552 5.3.4 Requested mail action aborted: exceeded storage allocation")]
    [TestCase(ScenarioPoint.Message, 550, "550 5.7.1 Message refused")]
    [TestCase(ScenarioPoint.Data, 554, "554 5.5.1 Transaction failed")]
    [TestCase(ScenarioPoint.Rcpt, 552, "552 5.2.2 Mailbox full")]
    [TestCase(ScenarioPoint.Rcpt, 550, "550 5.1.1 Requested action not taken: mailbox unavailable")]
    [TestCase(ScenarioPoint.Mail, 553, "553 5.1.7 Sender address not allowed")]
    [TestCase(ScenarioPoint.Auth, 535, "535 5.7.8 Authentication credentials invalid")]
    [TestCase(ScenarioPoint.Auth, 454, "454 4.7.0 Temporary authentication failure")]
    [TestCase(ScenarioPoint.StartTls, 454, "454 4.7.0 TLS not available due to temporary reason")]
    [TestCase(ScenarioPoint.Connect, 554, "554 Transaction failed")]
    [TestCase(ScenarioPoint.Ehlo, 502, "502 Command not implemented")]
    public void The_reply_fits_its_point(ScenarioPoint point, int code, string expected) =>
        Assert.That(PointReplies.For(point, code).ToString(), Is.EqualTo(expected));

    [Test]
    public async Task A_rule_that_gives_only_554_at_message_sends_5_6_0_after_the_final_dot_and_5_5_1_at_data()
    {
        var result = await ScenarioRunner.RunAsync("""
            name: codes
            rules:
              - name: refuse
                on: [DATA, MESSAGE]
                when: { nth: 1 }
                reply: 554
            """, Ehlo + Mail + Rcpt + "DATA\r\n" + "DATA\r\n" + Message);

        Assert.That(result.Lines, Does.Contain("554 5.5.1 Transaction failed"), "at the DATA command");
        Assert.That(result.Lines, Does.Contain("554 5.6.0 Message content rejected"), "after the final dot");
    }

    [Test]
    public async Task A_data_failure_address_fits_the_end_of_the_message()
    {
        var result = await ExpectAsync(Ehlo + Mail + "RCPT TO:<554-data@smtpmock.test>\r\n" + "DATA\r\n" + Message, "250", "250 2.1.0", "250 2.1.5", "354", "554 5.6.0");
        Assert.That(result.Lines, Does.Contain("554 5.6.0 Message content rejected"));
    }
}
