using System.Text;
using MailKit;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>One message's content as it crossed the wire: after DATA (dot-stuffed, without the final ".") or in BDAT.</summary>
internal sealed record WirePayload(string Command, byte[] Bytes);

/// <summary>
/// A MailKit protocol logger that keeps every byte the client wrote, one entry per socket write (MailKit logs
/// each flush of its output buffer), so a test can see what was really sent and what was sent together.
/// </summary>
internal sealed class WireRecorder : IProtocolLogger
{
    private readonly Lock _gate = new();
    private readonly List<byte[]> _writes = [];

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <summary>Each socket write of the client, in order.</summary>
    public IReadOnlyList<byte[]> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
            }
        }
    }

    public byte[] ClientBytes => [.. Writes.SelectMany(w => w)];

    public void LogConnect(Uri uri)
    {
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            _writes.Add(buffer.AsSpan(offset, count).ToArray());
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
    }

    public void Dispose()
    {
    }

    /// <summary>
    /// The message contents in the client's byte stream, in order: what followed "DATA" up to (not including) the
    /// ".CRLF" of the end-of-data sequence, and the octets of each "BDAT n LAST" chunk.
    /// </summary>
    public IReadOnlyList<WirePayload> Payloads()
    {
        var bytes = ClientBytes;
        var payloads = new List<WirePayload>();
        var at = 0;
        while (at < bytes.Length)
        {
            var lf = Array.IndexOf(bytes, (byte)'\n', at);
            if (lf < 0)
            {
                break;
            }

            var line = Encoding.UTF8.GetString(bytes, at, lf - at).TrimEnd('\r');
            at = lf + 1;
            if (line.Equals("DATA", StringComparison.OrdinalIgnoreCase))
            {
                var end = IndexOf(bytes, "\r\n.\r\n"u8, at);
                Assert.That(end, Is.GreaterThanOrEqualTo(0), "DATA without an end-of-data sequence on the wire");
                payloads.Add(new WirePayload("DATA", bytes[at..(end + 2)]));
                at = end + 5;
            }
            else if (line.StartsWith("BDAT ", StringComparison.OrdinalIgnoreCase))
            {
                var size = int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                payloads.Add(new WirePayload(line, bytes[at..(at + size)]));
                at += size;
            }
        }

        return payloads;
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle, int from)
    {
        var found = haystack.AsSpan(from).IndexOf(needle);
        return found < 0 ? -1 : from + found;
    }
}
