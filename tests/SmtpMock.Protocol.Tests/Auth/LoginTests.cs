using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Replies;
using static SmtpMock.Protocol.Tests.Auth.Sasl;

namespace SmtpMock.Protocol.Tests.Auth;

public class LoginTests
{
    private static readonly CredentialStore Users = new([new("alice", "s3cret")]);

    [Test]
    public void Login_asks_for_user_name_then_password_in_base64()
    {
        var exchange = AuthExchange.Start("LOGIN", null);
        Assert.That(((AuthStep.Challenge)exchange.Step).Reply.ToString(), Is.EqualTo("334 VXNlcm5hbWU6"));
        Assert.That(Decode("VXNlcm5hbWU6"), Is.EqualTo("Username:"));

        var password = exchange.Next(B64("alice"));
        Assert.That(((AuthStep.Challenge)password).Reply.ToString(), Is.EqualTo("334 UGFzc3dvcmQ6"));

        var credential = Credential(exchange.Next(B64("s3cret")));
        Assert.That((credential.User, credential.Mechanism), Is.EqualTo(("alice", SaslMechanism.Login)));
        Assert.That(exchange.Complete(Users.Check(credential)), Is.EqualTo(new AuthStep.Succeeded("alice", SaslMechanism.Login)));
    }

    [Test]
    public void Login_takes_the_user_name_as_an_initial_response()
    {
        var exchange = AuthExchange.Start("LOGIN", B64("alice"));
        Assert.That(exchange.Step, Is.EqualTo(new AuthStep.Challenge("UGFzc3dvcmQ6")));
        Assert.That(Run(exchange, Users, B64("s3cret")), Is.TypeOf<AuthStep.Succeeded>());
    }

    [Test]
    public void Login_with_a_wrong_password_gets_535()
    {
        Assert.That(Run(AuthExchange.Start("LOGIN", null), Users, B64("alice"), B64("nope")),
            Is.EqualTo(new AuthStep.Fail(SecurityReplies.InvalidCredentials)));
    }

    [Test]
    public void Login_refuses_an_empty_user_name_with_501()
    {
        var exchange = AuthExchange.Start("LOGIN", null);
        Assert.That(exchange.Next(string.Empty), Is.EqualTo(new AuthStep.Fail(SecurityReplies.MalformedAuthResponse)));
    }

    [Test]
    public void Login_cancelled_at_the_password_prompt_gets_501_5_7_0()
    {
        var exchange = AuthExchange.Start("LOGIN", null);
        exchange.Next(B64("alice"));
        var cancelled = exchange.Next("*");
        Assert.That(((AuthStep.Fail)cancelled).Reply.ToString(), Is.EqualTo("501 5.7.0 Authentication cancelled"));
        Assert.That(exchange.IsOver, Is.True);
    }
}
