using System.Text;
using CsCheck;
using SmtpMock.Server.Tests.Harness;

namespace SmtpMock.Server.Tests.Properties;

/// <summary>
/// The session's state machine matches a small reference model of RFC 5321 §4.1.4 on random command sequences:
/// every reply code and enhanced code as the model predicts.
/// </summary>
public class StateModelProperties
{
    private enum Op
    {
        Ehlo,
        Helo,
        Mail,
        MailBadSyntax,
        Rcpt,
        RcptBadSyntax,
        Data,
        Rset,
        Noop,
        Vrfy,
        Unknown,
    }

    private enum State
    {
        Connected,
        Ready,
        HaveSender,
        HaveRecipients,
    }

    /// <summary>The reference model: what the server must answer, and the text that asks it.</summary>
    private static (string Text, List<string> Codes) Model(Op[] ops)
    {
        var text = new StringBuilder();
        var codes = new List<string>();
        var state = State.Connected;
        var refused = 0;
        void Reset() => refused = 0;

        foreach (var op in ops)
        {
            switch (op)
            {
                case Op.Ehlo or Op.Helo:
                    text.Append(op == Op.Ehlo ? "EHLO c.test\r\n" : "HELO c.test\r\n");
                    codes.Add("250");
                    state = State.Ready;
                    Reset();
                    break;
                case Op.Mail:
                    text.Append("MAIL FROM:<a@example.com>\r\n");
                    codes.Add(state == State.Ready ? "250 2.1.0" : "503 5.5.1");
                    if (state == State.Ready)
                    {
                        state = State.HaveSender;
                    }

                    break;
                case Op.MailBadSyntax:
                    text.Append("MAIL FROM:<@x>\r\n");
                    codes.Add("501 5.1.7");
                    break;
                case Op.Rcpt:
                    text.Append("RCPT TO:<b@example.com>\r\n");
                    var inTransaction = state is State.HaveSender or State.HaveRecipients;
                    codes.Add(inTransaction ? "250 2.1.5" : "503 5.5.1");
                    if (inTransaction)
                    {
                        state = State.HaveRecipients;
                    }

                    break;
                case Op.RcptBadSyntax:
                    text.Append("RCPT TO:<u@>\r\n");
                    codes.Add("501 5.1.3");
                    if (state is State.HaveSender or State.HaveRecipients)
                    {
                        refused++;
                    }

                    break;
                case Op.Data:
                    text.Append("DATA\r\n");
                    if (state == State.HaveRecipients)
                    {
                        text.Append("Subject: m\r\n\r\nbody\r\n.\r\n");
                        codes.Add("354");
                        codes.Add("250 2.0.0");
                        state = State.Ready;
                        Reset();
                    }
                    else
                    {
                        codes.Add(state == State.HaveSender && refused > 0 ? "554 5.5.1" : "503 5.5.1");
                    }

                    break;
                case Op.Rset:
                    text.Append("RSET\r\n");
                    codes.Add("250 2.0.0");
                    state = state == State.Connected ? State.Connected : State.Ready;
                    Reset();
                    break;
                case Op.Noop:
                    text.Append("NOOP\r\n");
                    codes.Add("250 2.0.0");
                    break;
                case Op.Vrfy:
                    text.Append("VRFY bob\r\n");
                    codes.Add("252 2.0.0");
                    break;
                default:
                    text.Append("XYZZY\r\n");
                    codes.Add("500 5.5.2");
                    break;
            }
        }

        return (text.ToString(), codes);
    }

    [Test]
    public void The_session_answers_every_random_sequence_as_the_model_does()
    {
        var options = SessionDriver.Options(o => o with { MaxBadCommands = 10_000 });
        Gen.Enum<Op>().Array[1, 60].Sample(
            ops =>
            {
                var (text, codes) = Model(ops);
                var result = SessionDriver.RunAsync(Encoding.ASCII.GetBytes(text), Split.Whole, options).GetAwaiter().GetResult();
                Assert.That(result.Codes, Is.EqualTo(codes), string.Join(",", ops));
                Assert.That(result.Store.Count, Is.EqualTo(codes.Count(c => c == "354")));
            },
            iter: 500);
    }
}
