using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Replies;
using static SmtpMock.Protocol.Tests.Auth.Sasl;

namespace SmtpMock.Protocol.Tests.Auth;

public class ExchangeTests
{
    [Test]
    public void Start_with_an_unknown_mechanism_gets_504_5_5_4()
    {
        var exchange = AuthExchange.Start("GSSAPI", null);
        Assert.That(exchange.Mechanism, Is.Null);
        Assert.That(exchange.IsOver, Is.True);
        Assert.That(((AuthStep.Fail)exchange.Step).Reply.ToString(), Is.EqualTo("504 5.5.4 Unrecognized authentication mechanism"));
    }

    [TestCase("PLAIN")]
    [TestCase("LOGIN")]
    [TestCase("CRAM-MD5")]
    [TestCase("XOAUTH2")]
    public void A_star_line_cancels_every_mechanism_with_501_5_7_0(string mechanism)
    {
        var exchange = AuthExchange.Start(mechanism, null);
        Assert.That(exchange.Step, Is.TypeOf<AuthStep.Challenge>());
        Assert.That(exchange.Next("*"), Is.EqualTo(new AuthStep.Fail(SecurityReplies.AuthCancelled)));
    }

    [TestCase("not base64!")]
    [TestCase("AHRpbQB0YW5zdGFhZnRhbnN0YWF")]
    [TestCase("AHRp bQB0YW5zdGFhZnRhbnN0YWFm")]
    [TestCase("A=Rp")]
    public void Bad_base64_gets_501_5_5_2_as_initial_response_or_continuation(string text)
    {
        Assert.That(AuthExchange.Start("PLAIN", text).Step, Is.EqualTo(new AuthStep.Fail(SecurityReplies.BadBase64)));
        var exchange = AuthExchange.Start("LOGIN", null);
        var step = exchange.Next(text);
        Assert.That(((AuthStep.Fail)step).Reply.ToString(), Is.EqualTo("501 5.5.2 Cannot Base64-decode client response"));
    }

    [Test]
    public void FromArgument_splits_mechanism_and_initial_response()
    {
        var exchange = AuthExchange.FromArgument("PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
        Assert.That(exchange.Mechanism, Is.EqualTo(SaslMechanism.Plain));
        Assert.That(Credential(exchange.Step).User, Is.EqualTo("tim"));
    }

    [TestCase("")]
    [TestCase("PLAIN a b")]
    public void FromArgument_with_no_mechanism_or_extra_words_gets_501_5_5_4(string argument)
    {
        Assert.That(AuthExchange.FromArgument(argument).Step, Is.EqualTo(new AuthStep.Fail(SecurityReplies.AuthSyntax)));
    }

    [Test]
    public void Next_after_the_exchange_is_over_is_a_bug_and_throws()
    {
        var exchange = AuthExchange.Start("PLAIN", "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
        Assert.That(() => exchange.Next("x"), Throws.InvalidOperationException, "waiting for a verdict, not a line");
        exchange.Complete(accepted: true);
        Assert.That(() => exchange.Next("x"), Throws.InvalidOperationException);
        Assert.That(() => exchange.Complete(accepted: true), Throws.InvalidOperationException);
    }

    [Test]
    public void Complete_clears_the_secret_even_when_the_session_did_not_use_the_store()
    {
        var exchange = AuthExchange.Start("PLAIN", "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
        var credential = Credential(exchange.Step);
        exchange.Complete(accepted: false);
        Assert.That(credential.IsCleared, Is.True);
    }

    [Test]
    public void Ehlo_keyword_lists_the_offered_mechanisms()
    {
        Assert.That(SaslMechanisms.EhloKeyword(SaslMechanisms.All), Is.EqualTo("AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2"));
        Assert.That(SaslMechanisms.All.Where(m => !m.SendsSecretInClear()), Is.EqualTo(new[] { SaslMechanism.CramMd5 }));
    }
}
