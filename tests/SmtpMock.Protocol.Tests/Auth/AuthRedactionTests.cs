using SmtpMock.Protocol.Auth;

namespace SmtpMock.Protocol.Tests.Auth;

public class AuthRedactionTests
{
    [TestCase("AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm", "AUTH PLAIN ****")]
    [TestCase("auth login YWxpY2U=", "auth login ****")]
    [TestCase("AUTH PLAIN =", "AUTH PLAIN ****")]
    [TestCase("AUTH PLAIN a b c", "AUTH PLAIN ****")]
    [TestCase("AUTH LOGIN", "AUTH LOGIN")]
    [TestCase("AUTH", "AUTH")]
    public void Command_keeps_verb_and_mechanism_and_masks_the_rest(string line, string recorded)
    {
        Assert.That(AuthRedaction.Command(line), Is.EqualTo(recorded));
    }

    [TestCase("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw", "****")]
    [TestCase("", "****")]
    [TestCase("*", "*")]
    public void Continuation_is_masked_except_the_cancel_line(string line, string recorded)
    {
        Assert.That(AuthRedaction.Continuation(line), Is.EqualTo(recorded));
    }
}
