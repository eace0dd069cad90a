using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using SmtpMock.Protocol.Proxy;

namespace SmtpMock.Protocol.Tests.Proxy;

/// <summary>PROXY protocol v2, binary (haproxy.org doc/proxy-protocol.txt section 2.2).</summary>
[TestFixture]
public sealed class ProxyV2Tests
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>A v2 header: signature, the two type octets, the length of <paramref name="block"/>, then it.</summary>
    private static byte[] Header(byte versionCommand, byte familyTransport, params byte[] block)
    {
        var bytes = new byte[16 + block.Length];
        Signature.CopyTo(bytes, 0);
        bytes[12] = versionCommand;
        bytes[13] = familyTransport;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(14), (ushort)block.Length);
        block.CopyTo(bytes, 16);
        return bytes;
    }

    private static byte[] Inet(string source, ushort sourcePort, string destination, ushort destinationPort)
    {
        var s = IPAddress.Parse(source).GetAddressBytes();
        var d = IPAddress.Parse(destination).GetAddressBytes();
        var block = new byte[(2 * s.Length) + 4];
        s.CopyTo(block, 0);
        d.CopyTo(block, s.Length);
        BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(2 * s.Length), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan((2 * s.Length) + 2), destinationPort);
        return block;
    }

    private static byte[] Tlv(byte type, int length) => [type, (byte)(length >> 8), (byte)length, .. new byte[length]];

    private static ProxyHeaderResult Parse(byte[] bytes) => ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(bytes));

    private static string Invalid(byte[] bytes) =>
        Parse(bytes) is ProxyHeaderResult.Invalid invalid ? invalid.Reason : throw new AssertionException($"not invalid: {Parse(bytes)}");

    [Test]
    public void Tcp_over_ipv4_gives_every_field_and_stops_at_the_header()
    {
        byte[] bytes = [.. Header(0x21, 0x11, Inet("203.0.113.7", 40001, "198.51.100.2", 25)), .. "EHLO x\r\n"u8];

        Assert.That(Parse(bytes), Is.EqualTo(new ProxyHeaderResult.Parsed(2, false, new IPEndPoint(IPAddress.Parse("203.0.113.7"), 40001), new IPEndPoint(IPAddress.Parse("198.51.100.2"), 25), 0, 28)));
    }

    [Test]
    public void Tcp_over_ipv6_gives_ipv6_endpoints()
    {
        var parsed = (ProxyHeaderResult.Parsed)Parse(Header(0x21, 0x21, Inet("2001:db8::7", 65535, "2001:db8::25", 587)));

        Assert.That((parsed.Source, parsed.Destination, parsed.Consumed), Is.EqualTo((new IPEndPoint(IPAddress.Parse("2001:db8::7"), 65535), new IPEndPoint(IPAddress.Parse("2001:db8::25"), 587), 52)));
    }

    [Test]
    public void Tlvs_after_the_addresses_are_counted_and_skipped()
    {
        var header = Header(0x21, 0x11, [.. Inet("10.1.1.1", 1000, "10.2.2.2", 25), .. Tlv(0x01, 2), .. Tlv(0x04, 0), .. Tlv(0x20, 300)]);
        byte[] bytes = [.. header, .. "QUIT\r\n"u8];

        var parsed = (ProxyHeaderResult.Parsed)Parse(bytes);

        Assert.That((parsed.Tlvs, parsed.Consumed, parsed.Source!.Port), Is.EqualTo((3, header.Length, 1000)));
    }

    [Test]
    public void A_tlv_that_runs_past_the_header_is_refused()
    {
        var bytes = Header(0x21, 0x11, [.. Inet("10.1.1.1", 1, "10.2.2.2", 2), .. Tlv(0x05, 4)[..5]]);

        Assert.That(Invalid(bytes), Is.EqualTo("PROXY v2 TLV type 0x05 says 4 octets but only 2 are left in the header"));
    }

    [Test]
    public void A_tlv_cut_inside_its_type_and_length_is_refused()
    {
        var bytes = Header(0x21, 0x11, [.. Inet("10.1.1.1", 1, "10.2.2.2", 2), .. Tlv(0x04, 0), 0x01, 0x00]);

        Assert.That(Invalid(bytes), Is.EqualTo("PROXY v2 header ends inside a TLV: 2 octets left, a TLV's type and length take 3"));
    }

    [Test]
    public void Local_uses_the_connections_own_endpoints_and_skips_whatever_block_it_has()
    {
        var bytes = Header(0x20, 0x11, Inet("10.1.1.1", 1, "10.2.2.2", 2));

        Assert.That(Parse(bytes), Is.EqualTo(new ProxyHeaderResult.Parsed(2, true, null, null, 0, 28)));
        Assert.That(Parse(Header(0x20, 0x00)), Is.EqualTo(new ProxyHeaderResult.Parsed(2, true, null, null, 0, 16)));
    }

    [TestCase((byte)0x00, TestName = "UNSPEC family and transport")]
    [TestCase((byte)0x12, TestName = "UDP over IPv4")]
    [TestCase((byte)0x31, TestName = "UNIX stream")]
    [TestCase((byte)0x10, TestName = "IPv4 with an unspecified transport")]
    public void A_proxied_connection_without_a_tcp_address_falls_back_to_the_connections_endpoints(byte familyTransport)
    {
        var block = new byte[familyTransport >> 4 == 3 ? 216 : 12];
        var parsed = (ProxyHeaderResult.Parsed)Parse(Header(0x21, familyTransport, block));

        Assert.That((parsed.IsLocal, parsed.Source, parsed.Destination, parsed.Consumed), Is.EqualTo((false, (IPEndPoint?)null, (IPEndPoint?)null, 16 + block.Length)));
    }

    [Test]
    public void Every_prefix_of_a_header_asks_for_more_and_every_split_gives_the_same_answer()
    {
        byte[] bytes = [.. Header(0x21, 0x21, [.. Inet("2001:db8::7", 1, "2001:db8::25", 25), .. Tlv(0x02, 11)]), .. "EHLO x\r\n"u8];
        var whole = Parse(bytes);
        Assert.That(whole, Is.InstanceOf<ProxyHeaderResult.Parsed>());

        for (var length = 0; length < 16 + 36 + 14; length++)
        {
            Assert.That(ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(bytes, 0, length)), Is.SameAs(ProxyHeaderResult.NeedMoreData.Instance), $"first {length} octets");
        }

        for (var size = 1; size < bytes.Length; size++)
        {
            Assert.That(ProxyHeaderParser.Parse(Segments.Split(bytes, size)), Is.EqualTo(whole), $"segments of {size}");
        }
    }

    [Test]
    public void A_bad_signature_is_refused_at_its_first_wrong_octet()
    {
        var bytes = Header(0x21, 0x11, Inet("10.1.1.1", 1, "10.2.2.2", 2));
        bytes[6] = 0x00;

        Assert.That(ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(bytes, 0, 7)), Is.EqualTo(new ProxyHeaderResult.Invalid("no PROXY protocol header: the first octets are not the v2 signature")));
    }

    [TestCase((byte)0x11, (byte)0x11, "version 1; only 2 exists")]
    [TestCase((byte)0x31, (byte)0x11, "version 3; only 2 exists")]
    [TestCase((byte)0x22, (byte)0x11, "command 2 is neither LOCAL (0) nor PROXY (1)")]
    [TestCase((byte)0x21, (byte)0x41, "family/transport 0x41 is not one the spec defines")]
    [TestCase((byte)0x21, (byte)0x13, "family/transport 0x13 is not one the spec defines")]
    public void Values_the_spec_does_not_define_are_refused(byte versionCommand, byte familyTransport, string reason)
    {
        Assert.That(Invalid(Header(versionCommand, familyTransport, Inet("10.1.1.1", 1, "10.2.2.2", 2))), Does.Contain(reason));
    }

    [Test]
    public void An_address_block_shorter_than_its_family_needs_is_refused()
    {
        Assert.That(Invalid(Header(0x21, 0x21, Inet("10.1.1.1", 1, "10.2.2.2", 2))), Is.EqualTo("PROXY v2 address block is 12 octets; family/transport 0x21 needs 36"));
    }

    [Test]
    public void The_largest_length_waits_for_all_of_it()
    {
        var bytes = Header(0x21, 0x11, [.. Inet("10.1.1.1", 1, "10.2.2.2", 2), .. Tlv(0x04, 65535 - 12 - 3)]);

        Assert.That(ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(bytes, 0, bytes.Length - 1)), Is.SameAs(ProxyHeaderResult.NeedMoreData.Instance));
        Assert.That(((ProxyHeaderResult.Parsed)Parse(bytes)).Consumed, Is.EqualTo(16 + 65535));
    }
}
