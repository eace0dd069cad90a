using System.Buffers;

namespace SmtpMock.Protocol.Proxy;

/// <summary>
/// HAProxy's PROXY protocol (haproxy.org doc/proxy-protocol.txt), versions 1 and 2, as a receiver reads it: the header
/// a load balancer puts before the client's first byte so the server learns the client's address. The first byte
/// tells the version apart (<c>P</c> of <c>PROXY</c>, or the CR of the v2 signature); anything else is refused at
/// once, and a header cut short asks for more data, never guesses. Pure: no sockets, no clock; the caller bounds
/// how long it waits for a complete header.
/// </summary>
internal static class ProxyHeaderParser
{
    /// <summary>The longest v1 line, CRLF included (<c>PROXY UNKNOWN</c> with two IPv6 addresses and two ports).</summary>
    public const int MaxV1Length = ProxyV1.MaxLength;

    /// <summary>The fixed part of a v2 header: signature, version and command, family and transport, length.</summary>
    public const int V2FixedLength = ProxyV2.FixedLength;

    /// <summary>Parses the header at the start of <paramref name="buffer"/> (which holds everything read so far).</summary>
    public static ProxyHeaderResult Parse(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return ProxyHeaderResult.NeedMoreData.Instance;
        }

        var first = buffer.FirstSpan[0];
        return first == ProxyV1.Prefix[0] ? ProxyV1.Parse(buffer)
            : first == ProxyV2.Signature[0] ? ProxyV2.Parse(buffer)
            : new ProxyHeaderResult.Invalid($"no PROXY protocol header: the connection starts with {Describe(first)}, not 'PROXY ' (v1) or the v2 signature");
    }

    /// <summary>Whether the start of <paramref name="buffer"/> matches <paramref name="expected"/> as far as both go.</summary>
    internal static bool StartsLike(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> expected)
    {
        Span<byte> start = stackalloc byte[expected.Length];
        var length = (int)Math.Min(buffer.Length, expected.Length);
        buffer.Slice(0, length).CopyTo(start);
        return start[..length].SequenceEqual(expected[..length]);
    }

    /// <summary>An octet for a log line: printable ASCII as itself, anything else as hex.</summary>
    internal static string Describe(byte value) =>
        value is >= 0x21 and < 0x7F ? $"'{(char)value}'" : $"0x{value:X2}";
}
