using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Replies;
using static SmtpMock.Protocol.Tests.Auth.Sasl;

namespace SmtpMock.Protocol.Tests.Auth;

public class CramMd5Tests
{
    private const string Rfc2195Challenge = "<1896.697170952@postoffice.reston.mci.net>";
    private static readonly AuthExchangeOptions Rfc2195 = new() { CramMd5Challenge = () => Rfc2195Challenge };
    private static readonly CredentialStore Tim = new([new("tim", "tanstaaftanstaaf")]);

    [Test]
    public void CramMd5_replays_the_rfc_2195_example()
    {
        var exchange = AuthExchange.Start("CRAM-MD5", null, Rfc2195);
        Assert.That(((AuthStep.Challenge)exchange.Step).Reply.ToString(),
            Is.EqualTo("334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"));

        var credential = Credential(exchange.Next("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"));
        Assert.That((credential.User, credential.Challenge), Is.EqualTo(("tim", Rfc2195Challenge)));
        Assert.That(exchange.Complete(Tim.Check(credential)), Is.EqualTo(new AuthStep.Succeeded("tim", SaslMechanism.CramMd5)));
    }

    [Test]
    public void CramMd5_accepts_an_upper_case_digest()
    {
        var exchange = AuthExchange.Start("CRAM-MD5", null, Rfc2195);
        Assert.That(Run(exchange, Tim, B64("tim B913A602C7EDA7A495B4E6E7334D3890")), Is.TypeOf<AuthStep.Succeeded>());
    }

    [Test]
    public void CramMd5_with_a_digest_from_the_wrong_password_gets_535()
    {
        var exchange = AuthExchange.Start("CRAM-MD5", null, Rfc2195);
        Assert.That(Run(exchange, Tim, B64("tim 00000000000000000000000000000000")),
            Is.EqualTo(new AuthStep.Fail(SecurityReplies.InvalidCredentials)));
    }

    [Test]
    public void CramMd5_challenge_names_the_host_and_is_new_each_time()
    {
        var options = new AuthExchangeOptions { Hostname = "mock.test" };
        var first = Decode(((AuthStep.Challenge)AuthExchange.Start("CRAM-MD5", null, options).Step).Text);
        var second = Decode(((AuthStep.Challenge)AuthExchange.Start("CRAM-MD5", null, options).Step).Text);
        Assert.That(first, Does.Match(@"^<\d+\.\d+@mock\.test>$"));
        Assert.That(second, Is.Not.EqualTo(first));
    }

    [TestCase("tim")]
    [TestCase("tim b913a602c7eda7a495b4e6e7334d389")]
    [TestCase("tim b913a602c7eda7a495b4e6e7334d389z")]
    [TestCase(" b913a602c7eda7a495b4e6e7334d3890")]
    public void CramMd5_refuses_a_malformed_response_with_501(string response)
    {
        var exchange = AuthExchange.Start("CRAM-MD5", null, Rfc2195);
        Assert.That(exchange.Next(B64(response)), Is.EqualTo(new AuthStep.Fail(SecurityReplies.MalformedAuthResponse)));
    }

    [Test]
    public void CramMd5_refuses_an_initial_response_with_501()
    {
        var exchange = AuthExchange.Start("CRAM-MD5", B64("tim 0"));
        Assert.That(exchange.Step, Is.EqualTo(new AuthStep.Fail(SecurityReplies.NoInitialResponseAllowed)));
    }

    [Test]
    public void CramMd5_with_accept_any_takes_any_well_formed_response()
    {
        var exchange = AuthExchange.Start("CRAM-MD5", null, Rfc2195);
        Assert.That(Run(exchange, CredentialStore.AcceptingAny, B64("anyone 0123456789abcdef0123456789abcdef")),
            Is.EqualTo(new AuthStep.Succeeded("anyone", SaslMechanism.CramMd5)));
    }
}
