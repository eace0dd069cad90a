using System.Buffers;
using System.Buffers.Binary;
using System.Net;

namespace SmtpMock.Protocol.Proxy;

/// <summary>
/// Version 2, binary (section 2.2): the 12-octet signature, version and command, family and transport, the length of
/// what follows, the address block, then TLVs. Only version 2 and the commands LOCAL and PROXY are accepted, as the
/// spec asks; TCP over IPv4 or IPv6 gives addresses, the other valid combinations fall back to the connection's own
/// endpoints (the spec's UNSPEC mode). TLVs are checked to lie inside the header, then skipped.
/// </summary>
internal static class ProxyV2
{
    public const int FixedLength = 16;

    private const int Inet = 1;
    private const int Inet6 = 2;
    private const int Unix = 3;
    private const int Stream = 1;
    private const int Datagram = 2;

    public static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static ProxyHeaderResult Parse(in ReadOnlySequence<byte> buffer)
    {
        if (!ProxyHeaderParser.StartsLike(buffer, Signature))
        {
            return new ProxyHeaderResult.Invalid("no PROXY protocol header: the first octets are not the v2 signature");
        }

        if (buffer.Length < FixedLength)
        {
            return ProxyHeaderResult.NeedMoreData.Instance;
        }

        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(Signature.Length);
        reader.TryRead(out var versionCommand);
        reader.TryRead(out var familyTransport);
        reader.TryReadBigEndian(out short signedLength);
        var length = (ushort)signedLength;
        if (versionCommand >> 4 != 2)
        {
            return new ProxyHeaderResult.Invalid($"PROXY v2 header says version {versionCommand >> 4}; only 2 exists");
        }

        var command = versionCommand & 0xF;
        if (command > 1)
        {
            return new ProxyHeaderResult.Invalid($"PROXY v2 command {command} is neither LOCAL (0) nor PROXY (1)");
        }

        int family = familyTransport >> 4, transport = familyTransport & 0xF;
        if (family > Unix || transport > Datagram)
        {
            return new ProxyHeaderResult.Invalid($"PROXY v2 family/transport 0x{familyTransport:X2} is not one the spec defines");
        }

        if (reader.Remaining < length)
        {
            return ProxyHeaderResult.NeedMoreData.Instance;
        }

        var consumed = FixedLength + length;
        var addressLength = family switch { Inet => 12, Inet6 => 36, Unix => 216, _ => 0 };
        if (command == 0 || addressLength == 0 || transport == 0)
        {
            // LOCAL (a health check) or UNSPEC: the spec says to ignore the address block and use the real endpoints.
            return new ProxyHeaderResult.Parsed(2, IsLocal: command == 0, null, null, Tlvs: 0, consumed);
        }

        if (length < addressLength)
        {
            return new ProxyHeaderResult.Invalid($"PROXY v2 address block is {length} octets; family/transport 0x{familyTransport:X2} needs {addressLength}");
        }

        var block = reader.UnreadSequence.Slice(0, length);
        var (source, destination) = family != Unix && transport == Stream ? Addresses(block.Slice(0, addressLength), family) : (null, null);
        var tlvs = CountTlvs(block.Slice(addressLength), out var problem);
        return problem is not null
            ? new ProxyHeaderResult.Invalid(problem)
            : new ProxyHeaderResult.Parsed(2, IsLocal: false, source, destination, tlvs, consumed);
    }

    private static (IPEndPoint Source, IPEndPoint Destination) Addresses(ReadOnlySequence<byte> block, int family)
    {
        Span<byte> bytes = stackalloc byte[36];
        bytes = bytes[..(int)block.Length];
        block.CopyTo(bytes);
        var size = family == Inet ? 4 : 16;
        var ports = bytes[(2 * size)..];
        return (new IPEndPoint(new IPAddress(bytes[..size]), BinaryPrimitives.ReadUInt16BigEndian(ports)),
                new IPEndPoint(new IPAddress(bytes[size..(2 * size)]), BinaryPrimitives.ReadUInt16BigEndian(ports[2..])));
    }

    /// <summary>The TLVs after the addresses (type, 2-octet length, value), each checked to end inside the header.</summary>
    private static int CountTlvs(ReadOnlySequence<byte> tlvs, out string? problem)
    {
        problem = null;
        var reader = new SequenceReader<byte>(tlvs);
        var count = 0;
        while (!reader.End)
        {
            var left = reader.Remaining;
            if (!reader.TryRead(out var type) || !reader.TryReadBigEndian(out short signedLength))
            {
                problem = $"PROXY v2 header ends inside a TLV: {left} octets left, a TLV's type and length take 3";
                return count;
            }

            var length = (ushort)signedLength;
            if (reader.Remaining < length)
            {
                problem = $"PROXY v2 TLV type 0x{type:X2} says {length} octets but only {reader.Remaining} are left in the header";
                return count;
            }

            reader.Advance(length);
            count++;
        }

        return count;
    }
}
