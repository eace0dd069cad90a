using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Replies;
using static SmtpMock.Protocol.Tests.Auth.Sasl;

namespace SmtpMock.Protocol.Tests.Auth;

public class XOAuth2Tests
{
    // Google's documented example string (user=someuser@example.com, Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg).
    private const string GoogleExample =
        "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==";

    [Test]
    public void XOAuth2_accepts_any_token_with_accept_any()
    {
        var exchange = AuthExchange.Start("XOAUTH2", GoogleExample);
        var credential = Credential(exchange.Step);
        Assert.That((credential.User, credential.Mechanism), Is.EqualTo(("someuser@example.com", SaslMechanism.XOAuth2)));
        Assert.That(exchange.Complete(CredentialStore.AcceptingAny.Check(credential)),
            Is.EqualTo(new AuthStep.Succeeded("someuser@example.com", SaslMechanism.XOAuth2)));
    }

    [Test]
    public void XOAuth2_checks_a_configured_users_password_as_the_token()
    {
        var store = new CredentialStore([new("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg")]);
        Assert.That(Run(AuthExchange.Start("XOAUTH2", GoogleExample), store), Is.TypeOf<AuthStep.Succeeded>());
    }

    [Test]
    public void XOAuth2_failure_sends_the_json_error_then_535_after_the_empty_answer()
    {
        var store = new CredentialStore([new("someuser@example.com", "another-token")]);
        var exchange = AuthExchange.Start("XOAUTH2", GoogleExample);
        var error = exchange.Complete(store.Check(Credential(exchange.Step)));

        Assert.That(error, Is.TypeOf<AuthStep.Challenge>());
        Assert.That(Decode(((AuthStep.Challenge)error).Text), Does.Contain("\"status\":\"401\"").And.Contain("\"schemes\":\"Bearer\""));
        Assert.That(exchange.IsOver, Is.False);
        Assert.That(exchange.Next(string.Empty), Is.EqualTo(new AuthStep.Fail(SecurityReplies.InvalidCredentials)));
        Assert.That(exchange.IsOver, Is.True);
    }

    [Test]
    public void XOAuth2_without_initial_response_asks_with_an_empty_334()
    {
        var exchange = AuthExchange.Start("xoauth2", null);
        Assert.That(exchange.Step, Is.EqualTo(new AuthStep.Challenge(string.Empty)));
        Assert.That(Run(exchange, CredentialStore.AcceptingAny, GoogleExample), Is.TypeOf<AuthStep.Succeeded>());
    }

    [TestCase("user=a@b.c\x01auth=Bearer tok\x01")]
    [TestCase("user=a@b.c\x01auth=Basic tok\x01\x01")]
    [TestCase("auth=Bearer tok\x01\x01")]
    [TestCase("user=a@b.c\x01auth=Bearer \x01\x01")]
    public void XOAuth2_refuses_a_malformed_message_with_501(string message)
    {
        var exchange = AuthExchange.Start("XOAUTH2", B64(message));
        Assert.That(exchange.Step, Is.EqualTo(new AuthStep.Fail(SecurityReplies.MalformedAuthResponse)));
    }
}
