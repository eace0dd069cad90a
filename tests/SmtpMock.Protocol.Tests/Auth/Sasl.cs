using System.Text;
using SmtpMock.Protocol.Auth;

namespace SmtpMock.Protocol.Tests.Auth;

/// <summary>Helpers for driving an exchange the way a session would.</summary>
internal static class Sasl
{
    public static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));

    public static AuthCredential Credential(AuthStep step)
    {
        Assert.That(step, Is.TypeOf<AuthStep.Verify>(), $"expected a credential to verify, got {step}");
        return ((AuthStep.Verify)step).Credential;
    }

    /// <summary>Runs a whole exchange: answers each challenge from <paramref name="answers"/>, checks with the store.</summary>
    public static AuthStep Run(AuthExchange exchange, CredentialStore store, params string[] answers)
    {
        var step = exchange.Step;
        var next = 0;
        while (!exchange.IsOver)
        {
            step = step switch
            {
                AuthStep.Challenge => exchange.Next(next < answers.Length ? answers[next++] : throw new AssertionException($"no answer left for {step}")),
                AuthStep.Verify verify => exchange.Complete(store.Check(verify.Credential)),
                _ => throw new AssertionException($"unexpected step {step}"),
            };
        }

        Assert.That(next, Is.EqualTo(answers.Length), "every answer should have been asked for");
        return step;
    }
}
