using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Fuzz;

/// <summary>
/// Drives one session with arbitrary bytes (no sockets, a fake clock) and checks the oracles: exactly one final
/// reply per command, per AUTH line and per message end, nothing after 221 or 421, codes [2-5][0-5][0-9], reply
/// lines of at most 512 octets, enhanced codes of the reply's class, one code per multi-line reply, no more messages
/// ended than the input holds CRLF.CRLF-style endings, a bounded transcript, no exception escaping the session, and
/// the login and TLS rules of <see cref="SecurityOracles"/>. The input's first byte picks the read size (low four
/// bits) and the <see cref="SessionMode"/> (high four): credentials, STARTTLS offered, TLS and login required.
/// </summary>
public static partial class SessionTarget
{
    public static void Run(byte[] input)
    {
        var mode = SessionMode.Of(input.Length == 0 ? (byte)0 : input[0]);
        var chunk = input.Length == 0 ? 1 : 1 + (input[0] % 16);
        var data = input.Length == 0 ? input : input[1..];
        var store = new MemoryMessageStore(100, 1024 * 1024);
        var output = new MemoryStream();
        var writer = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        var reader = ScriptedPipeReader.InChunksOf(data, chunk);
        var tls = mode.OffersTls ? new FuzzTls(reader, output, store) : null;
        var (session, _) = SessionFactory.Create(mode.Options, null, store, 1, new IPEndPoint(IPAddress.Loopback, 1), NullLogger.Instance, tls: tls);
        var context = session.Context;
        var run = session.RunAsync(reader, writer, CancellationToken.None);
        if (!run.Wait(TimeSpan.FromSeconds(10)))
        {
            throw new OracleViolation("the session did not finish within 10 s on finite input");
        }

        (tls?.Output ?? writer).FlushAsync().AsTask().Wait();
        Check(Encoding.UTF8.GetString(output.ToArray()), context, data, mode.Options.MaxTranscriptLines);
        SecurityOracles.Check(mode, context, store, tls?.CapturedBefore);
    }

    private static void Check(string output, SessionContext context, byte[] input, int maxTranscript)
    {
        var finals = CheckReplies(output);
        var transcript = context.Transcript.Lines;
        var messageEnds = transcript.Count(l => l.Direction == TranscriptDirection.Note && l.Text.StartsWith("DATA content:", StringComparison.Ordinal));
        var expected = 1 + context.Commands + context.AuthResponses + messageEnds;
        var lastIn = transcript.LastOrDefault(l => l.Direction == TranscriptDirection.In)?.Text;
        if (context.EndReason?.Contains("mid-message", StringComparison.Ordinal) == true && lastIn?.StartsWith("BDAT", StringComparison.OrdinalIgnoreCase) == true)
        {
            // The input ended inside a chunk: that BDAT's reply was still owed when the client left.
            expected--;
        }
        if (transcript.Count < maxTranscript && finals != expected)
        {
            throw new OracleViolation($"{finals} replies for a greeting, {context.Commands} commands, {context.AuthResponses} AUTH responses and {messageEnds} message ends");
        }

        var endings = Count(input, "\r\n.\r\n"u8) + Count(input, "DATA\r\n.\r\n"u8) + Count(input, "DATA\n.\r\n"u8);
        if (messageEnds > endings + 1)
        {
            throw new OracleViolation($"{messageEnds} messages ended but the input has only {endings} CRLF.CRLF endings");
        }

        if (transcript.Count > maxTranscript + 1)
        {
            throw new OracleViolation($"the transcript grew past its bound: {transcript.Count} lines");
        }
    }

    /// <summary>Checks the reply format oracles on a session's output; returns how many replies it holds.</summary>
    public static int CheckReplies(string output)
    {
        if (output.Length > 0 && !output.EndsWith("\r\n", StringComparison.Ordinal))
        {
            throw new OracleViolation("the output ends mid-line");
        }

        var lines = output.Length == 0 ? [] : output[..^2].Split("\r\n");
        var finals = 0;
        string? continuing = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (Encoding.UTF8.GetByteCount(line) + 2 > 512)
            {
                throw new OracleViolation($"reply line over 512 octets: {line[..40]}...");
            }

            var match = ReplyLine().Match(line);
            if (!match.Success)
            {
                throw new OracleViolation($"malformed reply line '{line}'");
            }

            var code = match.Groups["code"].Value;
            if (continuing is not null && code != continuing)
            {
                throw new OracleViolation($"multi-line reply changed code at '{line}'");
            }

            if (match.Groups["enh"].Success && match.Groups["enh"].Value[0] != code[0])
            {
                throw new OracleViolation($"enhanced code of another class: '{line}'");
            }

            continuing = match.Groups["sep"].Value == "-" ? code : null;
            if (continuing is null)
            {
                finals++;
                if (code is "221" or "421" && i != lines.Length - 1)
                {
                    throw new OracleViolation($"the server wrote after {code}");
                }
            }
        }

        if (continuing is not null)
        {
            throw new OracleViolation("the last reply is unfinished");
        }

        return finals;
    }

    private static int Count(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        for (var at = haystack.IndexOf(needle); at >= 0; at = haystack.IndexOf(needle))
        {
            count++;
            haystack = haystack[(at + 1)..];
        }

        return count;
    }

    [GeneratedRegex(@"^(?<code>[2-5][0-5][0-9])(?<sep>[ -])((?<enh>[245]\.\d{1,3}\.\d{1,3}) )?")]
    private static partial Regex ReplyLine();
}
