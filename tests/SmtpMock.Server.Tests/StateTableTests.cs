using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Tests;

public class StateTableTests
{
    [Test]
    public void Every_verb_has_a_row_for_every_state()
    {
        foreach (var verb in Enum.GetValues<SmtpVerb>())
        {
            foreach (var state in Enum.GetValues<SessionState>())
            {
                Assert.That(() => StateTable.IsAllowed(state, verb), Throws.Nothing, $"{verb} in {state}");
            }
        }
    }

    [TestCase(SessionState.Connected, SmtpVerb.Mail, false)]
    [TestCase(SessionState.Ready, SmtpVerb.Mail, true)]
    [TestCase(SessionState.HaveSender, SmtpVerb.Mail, false)]
    [TestCase(SessionState.Ready, SmtpVerb.Rcpt, false)]
    [TestCase(SessionState.HaveSender, SmtpVerb.Rcpt, true)]
    [TestCase(SessionState.HaveSender, SmtpVerb.Data, false)]
    [TestCase(SessionState.HaveRecipients, SmtpVerb.Data, true)]
    [TestCase(SessionState.Chunking, SmtpVerb.Data, false)]
    [TestCase(SessionState.Chunking, SmtpVerb.Bdat, true)]
    [TestCase(SessionState.Chunking, SmtpVerb.Rset, true)]
    [TestCase(SessionState.Connected, SmtpVerb.Noop, true)]
    public void Follows_rfc5321_section_4_1_4(SessionState state, SmtpVerb verb, bool allowed)
    {
        Assert.That(StateTable.IsAllowed(state, verb), Is.EqualTo(allowed));
    }
}
