using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Replies;
using static SmtpMock.Protocol.Tests.Auth.Sasl;

namespace SmtpMock.Protocol.Tests.Auth;

public class PlainTests
{
    private static readonly CredentialStore Tim = new([new("tim", "tanstaaftanstaaf"), new("Kurt", "xipj3plmq")]);

    [Test]
    public void Plain_accepts_the_rfc_4616_example_as_an_initial_response()
    {
        var exchange = AuthExchange.Start("PLAIN", "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
        var credential = Credential(exchange.Step);
        Assert.That((credential.User, credential.AuthorizationId, credential.Mechanism), Is.EqualTo(("tim", (string?)null, SaslMechanism.Plain)));

        var done = exchange.Complete(Tim.Check(credential));
        Assert.That(done, Is.EqualTo(new AuthStep.Succeeded("tim", SaslMechanism.Plain)));
        Assert.That(((AuthStep.Succeeded)done).Reply.ToString(), Is.EqualTo("235 2.7.0 Authentication successful"));
    }

    [Test]
    public void Plain_carries_the_rfc_4616_authzid_and_refuses_acting_as_another_user()
    {
        var exchange = AuthExchange.Start("plain", "VXJzZWwAS3VydAB4aXBqM3BsbXE=");
        var credential = Credential(exchange.Step);
        Assert.That((credential.User, credential.AuthorizationId), Is.EqualTo(("Kurt", "Ursel")));

        var done = exchange.Complete(Tim.Check(credential));
        Assert.That(done, Is.EqualTo(new AuthStep.Fail(SecurityReplies.InvalidCredentials)));
    }

    [Test]
    public void Plain_without_initial_response_asks_with_an_empty_334()
    {
        var exchange = AuthExchange.Start("PLAIN", null);
        Assert.That(exchange.Step, Is.EqualTo(new AuthStep.Challenge(string.Empty)));
        Assert.That(((AuthStep.Challenge)exchange.Step).Reply.ToString(), Is.EqualTo("334 "));

        Assert.That(Run(exchange, Tim, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm"), Is.TypeOf<AuthStep.Succeeded>());
    }

    [Test]
    public void Plain_with_a_wrong_password_gets_535()
    {
        var exchange = AuthExchange.Start("PLAIN", B64("\0tim\0wrong"));
        Assert.That(Run(exchange, Tim), Is.EqualTo(new AuthStep.Fail(SecurityReplies.InvalidCredentials)));
    }

    [TestCase("tim\0tanstaaftanstaaf")]
    [TestCase("\0\0secret")]
    [TestCase("\0tim\0")]
    [TestCase("\0tim\0pw\0extra")]
    [TestCase("")]
    public void Plain_refuses_a_malformed_message_with_501(string message)
    {
        var exchange = AuthExchange.Start("PLAIN", message.Length == 0 ? "=" : B64(message));
        Assert.That(exchange.Step, Is.EqualTo(new AuthStep.Fail(SecurityReplies.MalformedAuthResponse)));
        Assert.That(exchange.IsOver, Is.True);
    }

    [Test]
    public void Plain_refuses_invalid_utf8_with_501()
    {
        var exchange = AuthExchange.Start("PLAIN", Convert.ToBase64String([0, (byte)'t', 0, 0xC3, 0x28]));
        Assert.That(exchange.Step, Is.EqualTo(new AuthStep.Fail(SecurityReplies.MalformedAuthResponse)));
    }
}
