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
                Assert.That(() => StateTable.Lookup(state, verb), Throws.Nothing, $"{verb} in {state}");
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
    [TestCase(SessionState.Refused, SmtpVerb.Quit, true)]
    [TestCase(SessionState.Refused, SmtpVerb.Noop, false)]
    [TestCase(SessionState.Refused, SmtpVerb.Ehlo, false)]
    public void Follows_rfc5321_section_4_1_4(SessionState state, SmtpVerb verb, bool allowed)
    {
        Assert.That(StateTable.IsAllowed(state, verb), Is.EqualTo(allowed));
    }

    [TestCase(SessionState.Connected, SmtpVerb.Ehlo, SessionState.Ready)]
    [TestCase(SessionState.HaveRecipients, SmtpVerb.Helo, SessionState.Ready)]
    [TestCase(SessionState.Ready, SmtpVerb.Mail, SessionState.HaveSender)]
    [TestCase(SessionState.HaveSender, SmtpVerb.Rcpt, SessionState.HaveRecipients)]
    [TestCase(SessionState.HaveRecipients, SmtpVerb.Data, SessionState.Ready)]
    [TestCase(SessionState.HaveRecipients, SmtpVerb.Bdat, SessionState.Chunking)]
    [TestCase(SessionState.Connected, SmtpVerb.Rset, SessionState.Connected)]
    [TestCase(SessionState.Chunking, SmtpVerb.Rset, SessionState.Ready)]
    [TestCase(SessionState.HaveSender, SmtpVerb.Noop, SessionState.HaveSender)]
    public void Says_where_success_leads(SessionState state, SmtpVerb verb, SessionState next)
    {
        Assert.That(StateTable.Lookup(state, verb), Is.EqualTo(new Transition(true, next)));
    }

    [Test]
    public void Out_of_sequence_leaves_the_state_as_it_was()
    {
        Assert.That(StateTable.Lookup(SessionState.Ready, SmtpVerb.Rcpt), Is.EqualTo(new Transition(false, SessionState.Ready)));
    }

    [Test]
    public void Every_verb_is_a_scenario_point_with_its_own_name()
    {
        foreach (var verb in Enum.GetValues<SmtpVerb>())
        {
            var point = ScenarioPoints.Of(verb);
            Assert.That(ScenarioPoints.TryParse(verb.Keyword(), out var parsed) && parsed == point, Is.True, verb.ToString());
            Assert.That(ScenarioPoints.All, Does.Contain(point));
        }
    }
}
