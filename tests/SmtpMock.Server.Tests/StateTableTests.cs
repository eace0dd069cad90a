using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Tests;

public class StateTableTests
{
    [Test]
    public void Every_verb_and_every_effect_has_a_cell_for_every_state()
    {
        foreach (var state in Enum.GetValues<SessionState>())
        {
            foreach (var verb in Enum.GetValues<SmtpVerb>())
            {
                Assert.That(() => StateTable.IsAllowed(state, verb), Throws.Nothing, $"{verb} in {state}");
            }

            foreach (var effect in Enum.GetValues<SessionEffect>())
            {
                Assert.That(() => StateTable.CanHappen(state, effect), Throws.Nothing, $"{effect} in {state}");
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
    [TestCase(SessionState.ReceivingData, SmtpVerb.Quit, false)]
    [TestCase(SessionState.Authenticating, SmtpVerb.Noop, false)]
    [TestCase(SessionState.StartingTls, SmtpVerb.Ehlo, false)]
    public void Follows_rfc5321_section_4_1_4(SessionState state, SmtpVerb verb, bool allowed)
    {
        Assert.That(StateTable.IsAllowed(state, verb), Is.EqualTo(allowed));
    }

    [TestCase(SessionState.Connected, "Greet", SessionState.Ready)]
    [TestCase(SessionState.HaveRecipients, "Greet", SessionState.Ready)]
    [TestCase(SessionState.Ready, "SetSender", SessionState.HaveSender)]
    [TestCase(SessionState.HaveSender, "AddRecipient", SessionState.HaveRecipients)]
    [TestCase(SessionState.HaveRecipients, "BeginData", SessionState.ReceivingData)]
    [TestCase(SessionState.ReceivingData, "EndTransaction", SessionState.Ready)]
    [TestCase(SessionState.HaveRecipients, "TakeChunk", SessionState.Chunking)]
    [TestCase(SessionState.Chunking, "EndTransaction", SessionState.Ready)]
    [TestCase(SessionState.Connected, "Reset", SessionState.Connected)]
    [TestCase(SessionState.Chunking, "Reset", SessionState.Ready)]
    [TestCase(SessionState.HaveSender, "None", SessionState.HaveSender)]
    [TestCase(SessionState.Connected, "RefuseService", SessionState.Refused)]
    [TestCase(SessionState.Ready, "StartTls", SessionState.StartingTls)]
    [TestCase(SessionState.StartingTls, "TlsStarted", SessionState.Connected)]
    [TestCase(SessionState.Ready, "AuthContinue", SessionState.Authenticating)]
    [TestCase(SessionState.Authenticating, "AuthContinue", SessionState.Authenticating)]
    [TestCase(SessionState.Authenticating, "Authenticated", SessionState.Ready)]
    [TestCase(SessionState.Authenticating, "AuthFailed", SessionState.Ready)]
    [TestCase(SessionState.Authenticating, "AuthEnded", SessionState.Ready)]
    public void Says_where_each_effect_leads(SessionState state, string effect, SessionState next)
    {
        Assert.That(StateTable.Next(state, Enum.Parse<SessionEffect>(effect)), Is.EqualTo(next));
    }

    [Test]
    public void An_effect_that_cannot_happen_in_a_state_is_a_bug_not_a_quiet_change()
    {
        Assert.That(() => StateTable.Next(SessionState.Connected, SessionEffect.SetSender), Throws.InvalidOperationException);
        Assert.That(StateTable.CanHappen(SessionState.Refused, SessionEffect.Greet), Is.False);
    }

    [Test]
    public void Every_state_the_server_can_be_in_is_reached_by_some_effect_and_every_effect_leads_somewhere()
    {
        var reached = new HashSet<SessionState> { SessionState.Connected };
        foreach (var state in Enum.GetValues<SessionState>())
        {
            foreach (var effect in Enum.GetValues<SessionEffect>().Where(e => StateTable.CanHappen(state, e)))
            {
                reached.Add(StateTable.Next(state, effect));
            }
        }

        Assert.That(reached, Is.EquivalentTo(Enum.GetValues<SessionState>()));
        foreach (var effect in Enum.GetValues<SessionEffect>())
        {
            Assert.That(Enum.GetValues<SessionState>().Any(s => StateTable.CanHappen(s, effect)), Is.True, $"{effect} can happen somewhere");
        }
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
