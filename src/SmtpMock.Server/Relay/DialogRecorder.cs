using System.Text;
using MailKit;
using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Server.Relay;

/// <summary>
/// A MailKit protocol logger that keeps the dialog as lines, <c>C: </c> for the client and <c>S: </c> for the server,
/// with the message content (after a 354 up to its CRLF.CRLF, or a BDAT chunk) shown as its size instead of its text.
/// </summary>
internal sealed class DialogRecorder : IProtocolLogger
{
    private static readonly byte[] EndOfData = "\r\n.\r\n"u8.ToArray();
    private readonly List<string> _lines = [];
    // Bytes, not text, until a line is whole: a UTF-8 character can be split between two writes or reads.
    private readonly List<byte> _client = [];
    private readonly List<byte> _server = [];
    private bool _inContent;
    private long _chunkLeft;
    private long _chunkOctets;
    private long _contentOctets;
    private int _endMatched;

    public IReadOnlyList<string> Lines => _lines;

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <summary>Something that is not a line of the dialog: a lost connection, a timeout.</summary>
    public void Note(string text) => _lines.Add("-- " + text);

    /// <summary>Notes why a send ended, unless it was a refusal: the server's reply is already in the lines.</summary>
    public void NoteUnlessRefusal(Exception e)
    {
        if (e is not MailKit.Net.Smtp.SmtpCommandException)
        {
            // The caller's time limit ran out (or it went away): "A task was canceled." would not say that.
            Note(e is OperationCanceledException ? "gave up: the server did not answer in time" : e.Message);
        }
    }

    public void LogConnect(Uri uri)
    {
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        // MailKit marks the login it writes (AUTH PLAIN's argument, AUTH LOGIN's answers): the dialog goes back to
        // whoever called the API, so the relay's password must not be in it.
        if (!_inContent && AuthenticationSecretDetector?.DetectSecrets(buffer, offset, count) is { Count: > 0 } secrets)
        {
            buffer = Redact(buffer, offset, count, secrets);
            (offset, count) = (0, buffer.Length);
        }

        var end = offset + count;
        while (offset < end)
        {
            if (_chunkLeft > 0)
            {
                // A BDAT chunk (RFC 3030): exactly the octets its command line said, no end marker, shown as its size.
                var taken = (int)Math.Min(_chunkLeft, end - offset);
                (offset, _chunkLeft) = (offset + taken, _chunkLeft - taken);
                if (_chunkLeft == 0)
                {
                    _lines.Add($"C: ({_chunkOctets} octets of message)");
                }

                continue;
            }

            if (!_inContent)
            {
                if (Record(_client, buffer, ref offset, end, "C: ") is { } line && ChunkSize(line) is { } size)
                {
                    (_chunkLeft, _chunkOctets) = (size, size);
                }

                continue;
            }

            // Content: count it, and find CRLF.CRLF even when it is split between writes.
            while (offset < end && _endMatched < EndOfData.Length)
            {
                var b = buffer[offset++];
                // CRLF '.' '.': the first dot is the client's dot-stuffing (RFC 5321 4.5.2), not the message's.
                _contentOctets += _endMatched == 3 && b == (byte)'.' ? 0 : 1;
                _endMatched = b == EndOfData[_endMatched] ? _endMatched + 1 : b == EndOfData[0] ? 1 : 0;
            }

            if (_endMatched == EndOfData.Length)
            {
                // Counted: the CRLF assumed before the content, the content, then ".\r\n".
                _lines.Add($"C: ({_contentOctets - 5} octets of message)");
                _lines.Add("C: .");
                _inContent = false;
                _contentOctets = 0;
                _endMatched = 0;
            }
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        var end = offset + count;
        while (offset < end)
        {
            if (Record(_server, buffer, ref offset, end, "S: ") is { } line && line.StartsWith("354", StringComparison.Ordinal))
            {
                // The content follows. Counting starts as if a CRLF came first, so an empty message's lone ".\r\n" ends it too.
                _inContent = true;
                _contentOctets = 2;
                _endMatched = 2;
            }
        }
    }

    public void Dispose()
    {
    }

    private static byte[] Redact(byte[] buffer, int offset, int count, IList<AuthenticationSecret> secrets)
    {
        var redacted = new List<byte>(count);
        var at = offset;
        foreach (var secret in secrets.OrderBy(s => s.StartIndex))
        {
            redacted.AddRange(buffer.AsSpan(at, secret.StartIndex - at));
            redacted.AddRange("********"u8);
            at = secret.StartIndex + secret.Length;
        }

        redacted.AddRange(buffer.AsSpan(at, offset + count - at));
        return [.. redacted];
    }

    /// <summary>The size a <c>BDAT size [LAST]</c> line announces (read by the server's own parser), or null for any other line.</summary>
    private static long? ChunkSize(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var parsed = CommandParser.Parse(bytes, bytes.Length + 2, int.MaxValue);
        return parsed.Command.Verb == SmtpVerb.Bdat && parsed.Command.ChunkSize > 0 ? parsed.Command.ChunkSize : null;
    }

    /// <summary>
    /// Takes bytes up to and including the next LF: records the line it completes and returns it, or keeps a partial
    /// line in <paramref name="partial"/> for the next call and returns null.
    /// </summary>
    private string? Record(List<byte> partial, byte[] buffer, ref int offset, int end, string prefix)
    {
        var newline = Array.IndexOf(buffer, (byte)'\n', offset, end - offset);
        partial.AddRange(buffer.AsSpan(offset, (newline < 0 ? end : newline) - offset));
        offset = newline < 0 ? end : newline + 1;
        if (newline < 0)
        {
            return null;
        }

        var line = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(partial)).TrimEnd('\r');
        partial.Clear();
        _lines.Add(prefix + line);
        return line;
    }
}
