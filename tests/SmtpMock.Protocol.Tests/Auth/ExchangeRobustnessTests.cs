using SmtpMock.Protocol.Auth;
using static SmtpMock.Protocol.Tests.Auth.Sasl;

namespace SmtpMock.Protocol.Tests.Auth;

/// <summary>Whatever a client sends, an exchange answers with a step and ends: it never throws and never loops.</summary>
public class ExchangeRobustnessTests
{
    private static readonly string[] Pieces =
        ["", "*", "=", "AA==", "A", "====", "\0", "\x01", " ", "user=", "auth=Bearer ", "tim", "Zm9v", "\u00e9", "PLAIN", "\r"];

    [Test]
    public void Random_dialogs_always_end_in_success_or_a_reply_without_throwing()
    {
        var random = new Random(4954);
        var ends = new HashSet<string>();
        for (var dialog = 0; dialog < 2000; dialog++)
        {
            var mechanism = random.Next(5) switch { 0 => "PLAIN", 1 => "LOGIN", 2 => "CRAM-MD5", 3 => "XOAUTH2", _ => "X-UNKNOWN" };
            var exchange = AuthExchange.Start(mechanism, random.Next(3) == 0 ? null : Line(random));
            var step = exchange.Step;
            for (var turn = 0; !exchange.IsOver; turn++)
            {
                Assert.That(turn, Is.LessThan(5), $"{mechanism} exchange did not end");
                step = step is AuthStep.Verify ? exchange.Complete(random.Next(2) == 0) : exchange.Next(Line(random));
            }

            ends.Add(step is AuthStep.Fail fail ? fail.Reply.WireLines[0][..9] : step.GetType().Name);
        }

        Assert.That(ends, Is.SupersetOf(new[] { "Succeeded", "501 5.5.2", "501 5.7.0", "504 5.5.4", "535 5.7.8" }));
    }

    private static string Line(Random random)
    {
        var text = string.Concat(Enumerable.Range(0, random.Next(4)).Select(_ => Pieces[random.Next(Pieces.Length)]));
        return random.Next(2) == 0 ? text : B64(text);
    }
}
