using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using SmtpMock.Server.Tests.Harness;

namespace SmtpMock.Server.Tests.Properties;

/// <summary>Any dialog, cut into reads at any byte boundaries, gets exactly the replies it gets in one read.</summary>
public partial class SplitProperties
{
    private static readonly string[] Pieces =
    [
        "EHLO client.test\r\n", "HELO client.test\r\n", "MAIL FROM:<a@example.com>\r\n", "MAIL FROM:<a@example.com> SIZE=100 BODY=8BITMIME\r\n",
        "RCPT TO:<b@example.com>\r\n", "RCPT TO:<bad@>\r\n", "DATA\r\nSubject: x\r\n\r\n..dot\r\nbody\r\n.\r\n", "DATA\r\na\n.\nb\r\n.\r\n",
        "BDAT 5\r\nhello", "BDAT 3 LAST\r\nabc", "RSET\r\n", "NOOP\r\n", "NOOP x\r\n", "VRFY bob\r\n", "HELP\r\n", "FOO\r\n", "\r\n",
        "EHLO a\n", "NOOP a\rb\r\n", "MAIL FROM:<a@b>\0\r\n", "RCPT TO:<ü@example.com>\r\n", "NOOP " + new string('x', 600) + "\r\n",
    ];

    private static readonly Gen<(byte[] Dialog, int[] Cuts)> Dialogs =
        from pieces in Gen.Int[0, Pieces.Length - 1].Array[1, 25]
        let dialog = Encoding.UTF8.GetBytes(string.Concat(pieces.Select(i => Pieces[i])))
        from cuts in Gen.Int[1, Math.Max(1, dialog.Length - 1)].Array[0, 12]
        select (dialog, cuts);

    [Test]
    public void Any_cut_of_any_dialog_gets_the_same_replies()
    {
        Dialogs.Sample(
            sample =>
            {
                var whole = SessionDriver.RunAsync(sample.Dialog, Split.Whole).GetAwaiter().GetResult();
                var cut = SessionDriver.RunChunksAsync(Cut(sample.Dialog, sample.Cuts)).GetAwaiter().GetResult();
                Assert.That(WithoutIds(cut.Output), Is.EqualTo(WithoutIds(whole.Output)));
                Assert.That(cut.Store.Count, Is.EqualTo(whole.Store.Count));
            },
            iter: 300);
    }

    private static IEnumerable<byte[]> Cut(byte[] dialog, int[] cuts)
    {
        var start = 0;
        foreach (var at in cuts.Where(c => c < dialog.Length).Distinct().Order())
        {
            yield return dialog[start..at];
            start = at;
        }

        yield return dialog[start..];
    }

    private static string WithoutIds(string output) => QueuedId().Replace(output, "queued as <id>");

    [GeneratedRegex("queued as [0-9a-f]{32}")]
    private static partial Regex QueuedId();
}
