using System.Text;
using System.Text.RegularExpressions;

namespace SmtpMock.Server.Tests.Harness;

/// <summary>
/// What every server output must satisfy, checked on every driven session: codes 2xx-5xx, lines of at most 512
/// octets, one code per multi-line reply, enhanced codes of the reply's class, nothing after 221 or 421.
/// </summary>
internal static partial class ReplyOracle
{
    public static void AssertWellFormed(string output)
    {
        if (output.Length == 0)
        {
            return;
        }

        Assert.That(output, Does.EndWith("\r\n"), "output ends mid-line");
        var lines = output[..^2].Split("\r\n");
        string? continuing = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            Assert.That(Encoding.UTF8.GetByteCount(line) + 2, Is.LessThanOrEqualTo(512), $"reply line over 512 octets: {line}");
            var match = ReplyLine().Match(line);
            Assert.That(match.Success, Is.True, $"malformed reply line: '{line}'");
            var code = match.Groups["code"].Value;
            if (continuing is not null)
            {
                Assert.That(code, Is.EqualTo(continuing), $"multi-line reply changed code at '{line}'");
            }

            var enhanced = match.Groups["enh"];
            if (enhanced.Success)
            {
                Assert.That(enhanced.Value[0], Is.EqualTo(code[0]), $"enhanced code class differs from the code: '{line}'");
            }

            continuing = match.Groups["sep"].Value == "-" ? code : null;
            if (continuing is null && code is "221" or "421")
            {
                Assert.That(i, Is.EqualTo(lines.Length - 1), $"the server wrote after {code}");
            }
        }

        Assert.That(continuing, Is.Null, "the last reply is unfinished");
    }

    [GeneratedRegex(@"^(?<code>[2-5][0-5][0-9])(?<sep>[ -])((?<enh>[245]\.\d{1,3}\.\d{1,3}) )?")]
    private static partial Regex ReplyLine();
}
