using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Protocol.Proxy;

/// <summary>
/// Version 1, one line of US-ASCII: <c>PROXY TCP4|TCP6 SRC DST SPORT DPORT\r\n</c> or <c>PROXY UNKNOWN ...\r\n</c>,
/// at most 107 octets. Read as strictly as the spec (section 2.1) words it: one space between fields, addresses in
/// canonical form (no leading zeros in IPv4, hex and colons only in IPv6), ports 0 to 65535 without leading zeros,
/// and only CRLF ends the line.
/// </summary>
internal static class ProxyV1
{
    public const int MaxLength = 107;

    public static ReadOnlySpan<byte> Prefix => "PROXY "u8;

    public static ProxyHeaderResult Parse(in ReadOnlySequence<byte> buffer)
    {
        if (!ProxyHeaderParser.StartsLike(buffer, Prefix))
        {
            return new ProxyHeaderResult.Invalid("no PROXY protocol header: the first line does not start with 'PROXY '");
        }

        Span<byte> start = stackalloc byte[MaxLength];
        var length = (int)Math.Min(buffer.Length, MaxLength);
        buffer.Slice(0, length).CopyTo(start);
        start = start[..length];
        var lf = start.IndexOf((byte)'\n');
        if (lf < 0)
        {
            return length < MaxLength
                ? ProxyHeaderResult.NeedMoreData.Instance
                : new ProxyHeaderResult.Invalid($"PROXY v1 line has no CRLF within its first {MaxLength} octets");
        }

        var line = start[..lf];
        if (line.IsEmpty || line[^1] != (byte)'\r')
        {
            return new ProxyHeaderResult.Invalid("PROXY v1 line ends with a bare LF, not CRLF");
        }

        return Fields(line[..^1], consumed: lf + 1);
    }

    private static ProxyHeaderResult Fields(ReadOnlySpan<byte> line, int consumed)
    {
        var rest = line[Prefix.Length..];
        if (rest.StartsWith("UNKNOWN"u8) && (rest.Length == 7 || rest[7] == (byte)' '))
        {
            // The spec: the receiver must ignore anything before the CRLF, and use the connection's own endpoints.
            return new ProxyHeaderResult.Parsed(1, IsLocal: false, null, null, Tlvs: 0, consumed);
        }

        if (rest.IndexOf((byte)'\r') >= 0)
        {
            return new ProxyHeaderResult.Invalid("PROXY v1 line holds a bare CR");
        }

        Span<Range> parts = stackalloc Range[6];
        var count = SplitInto(rest, parts, (byte)' ');
        var protocol = count > 0 ? rest[parts[0]] : default;
        var family = protocol.SequenceEqual("TCP4"u8) ? AddressFamily.InterNetwork
            : protocol.SequenceEqual("TCP6"u8) ? AddressFamily.InterNetworkV6
            : AddressFamily.Unknown;
        if (family == AddressFamily.Unknown)
        {
            return new ProxyHeaderResult.Invalid($"PROXY v1 protocol '{Printable(protocol)}' is none of TCP4, TCP6, UNKNOWN");
        }

        if (count != 5)
        {
            return new ProxyHeaderResult.Invalid("PROXY v1 line needs exactly: protocol, source and destination addresses, source and destination ports, one space apart");
        }

        var source = Address(rest[parts[1]], family);
        var destination = Address(rest[parts[2]], family);
        var sourcePort = Port(rest[parts[3]]);
        var destinationPort = Port(rest[parts[4]]);
        return source is null ? Bad("source address", rest[parts[1]], family)
            : destination is null ? Bad("destination address", rest[parts[2]], family)
            : sourcePort < 0 ? Bad("source port", rest[parts[3]], family)
            : destinationPort < 0 ? Bad("destination port", rest[parts[4]], family)
            : new ProxyHeaderResult.Parsed(1, IsLocal: false, new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort), Tlvs: 0, consumed);
    }

    private static ProxyHeaderResult.Invalid Bad(string field, ReadOnlySpan<byte> value, AddressFamily family)
    {
        var expected = field.EndsWith("port", StringComparison.Ordinal) ? "a port from 0 to 65535 without leading zeros"
            : family == AddressFamily.InterNetwork ? "an IPv4 address in canonical form (four numbers 0-255, no leading zeros)"
            : "an IPv6 address (hex digits and colons)";
        return new ProxyHeaderResult.Invalid($"PROXY v1 {field} '{Printable(value)}' is not {expected}");
    }

    /// <summary>An address of the given family in the canonical text the spec asks for, or null.</summary>
    private static IPAddress? Address(ReadOnlySpan<byte> text, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            Span<Range> octets = stackalloc Range[5];
            if (SplitInto(text, octets, (byte)'.') != 4)
            {
                return null;
            }

            Span<byte> bytes = stackalloc byte[4];
            for (var i = 0; i < 4; i++)
            {
                var value = Number(text[octets[i]], maxDigits: 3);
                if (value is < 0 or > 255)
                {
                    return null;
                }

                bytes[i] = (byte)value;
            }

            return new IPAddress(bytes);
        }

        // Hex and colons only: no embedded IPv4, no scope id (the spec's "sets of 4 hexadecimal digits").
        if (text.Length is < 2 or > 39 || text.IndexOfAnyExcept("0123456789abcdefABCDEF:"u8) >= 0)
        {
            return null;
        }

        Span<char> chars = stackalloc char[39];
        var written = Encoding.ASCII.GetChars(text, chars);
        return IPAddress.TryParse(chars[..written], out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 ? address : null;
    }

    /// <summary>Fills <paramref name="parts"/> with the pieces between separators; more than it holds counts one past its length.</summary>
    private static int SplitInto(ReadOnlySpan<byte> text, Span<Range> parts, byte separator)
    {
        var count = 0;
        foreach (var range in text.Split(separator))
        {
            if (count == parts.Length)
            {
                return count + 1;
            }

            parts[count++] = range;
        }

        return count;
    }

    private static int Port(ReadOnlySpan<byte> text)
    {
        var value = Number(text, maxDigits: 5);
        return value <= IPEndPoint.MaxPort ? value : -1;
    }

    /// <summary>A decimal number of 1 to <paramref name="maxDigits"/> digits without leading zeros, or -1.</summary>
    private static int Number(ReadOnlySpan<byte> text, int maxDigits)
    {
        if (text.IsEmpty || text.Length > maxDigits || (text.Length > 1 && text[0] == (byte)'0') || text.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return -1;
        }

        return Utf8Parser.TryParse(text, out int value, out _) ? value : -1;
    }

    /// <summary>A field for a log line: printable ASCII kept, anything else as '?', at most 45 characters.</summary>
    private static string Printable(ReadOnlySpan<byte> value)
    {
        var text = new StringBuilder(Math.Min(value.Length, 45));
        foreach (var b in value[..Math.Min(value.Length, 45)])
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }

        return text.ToString();
    }
}
