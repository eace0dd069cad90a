using System.Buffers;
using System.Net;
using System.Text;
using SmtpMock.Protocol.Proxy;

namespace SmtpMock.Protocol.Tests.Proxy;

/// <summary>PROXY protocol v1, the text line (haproxy.org doc/proxy-protocol.txt section 2.1).</summary>
[TestFixture]
public sealed class ProxyV1Tests
{
    private static ProxyHeaderResult Parse(string text) => ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)));

    private static ProxyHeaderResult.Parsed Parsed(string text) =>
        Parse(text) as ProxyHeaderResult.Parsed ?? throw new AssertionException($"not parsed: {Parse(text)}");

    private static string Invalid(string text) =>
        Parse(text) is ProxyHeaderResult.Invalid invalid ? invalid.Reason : throw new AssertionException($"not invalid: {Parse(text)}");

    [Test]
    public void Tcp4_gives_every_field_and_the_length_of_the_line_alone()
    {
        const string header = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 25\r\n";
        var parsed = Parsed(header + "EHLO client.test\r\n");

        Assert.That(parsed, Is.EqualTo(new ProxyHeaderResult.Parsed(1, false, new IPEndPoint(IPAddress.Parse("192.168.0.1"), 56324), new IPEndPoint(IPAddress.Parse("192.168.0.11"), 25), 0, header.Length)));
    }

    [Test]
    public void Tcp6_gives_ipv6_endpoints_in_compressed_and_full_forms()
    {
        var parsed = Parsed("PROXY TCP6 2001:db8::1 2001:0DB8:0000:0000:0000:0000:0000:0002 65535 0\r\n");

        Assert.That(parsed.Source, Is.EqualTo(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 65535)));
        Assert.That(parsed.Destination, Is.EqualTo(new IPEndPoint(IPAddress.Parse("2001:db8::2"), 0)));
    }

    [Test]
    public void The_longest_line_of_107_octets_is_accepted()
    {
        const string ffff = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        var header = $"PROXY UNKNOWN {ffff} {ffff} 65535 65535\r\n";
        Assert.That(header, Has.Length.EqualTo(ProxyHeaderParser.MaxV1Length));

        Assert.That(Parsed(header).Consumed, Is.EqualTo(107));
    }

    [TestCase("PROXY UNKNOWN\r\n")]
    [TestCase("PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n")]
    [TestCase("PROXY UNKNOWN anything at all\r\n")]
    public void Unknown_carries_no_address_and_its_rest_is_ignored(string header)
    {
        Assert.That(Parsed(header), Is.EqualTo(new ProxyHeaderResult.Parsed(1, false, null, null, 0, header.Length)));
    }

    [TestCase("")]
    [TestCase("P")]
    [TestCase("PROXY")]
    [TestCase("PROXY TCP4 10.0.0.1 10.0.0.2 1000 25")]
    [TestCase("PROXY TCP4 10.0.0.1 10.0.0.2 1000 25\r")]
    public void A_line_cut_short_asks_for_more(string start)
    {
        Assert.That(Parse(start), Is.SameAs(ProxyHeaderResult.NeedMoreData.Instance));
    }

    [Test]
    public void Every_split_of_a_header_gives_the_same_answer()
    {
        var bytes = Encoding.ASCII.GetBytes("PROXY TCP4 10.0.0.1 10.0.0.2 1000 25\r\nQUIT\r\n"); // a header of 38 octets
        var whole = ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(bytes));

        for (var size = 1; size < bytes.Length; size++)
        {
            Assert.That(ProxyHeaderParser.Parse(Segments.Split(bytes, size)), Is.EqualTo(whole), $"segments of {size}");
        }

        for (var length = 0; length < 38; length++)
        {
            Assert.That(ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(bytes, 0, length)), Is.SameAs(ProxyHeaderResult.NeedMoreData.Instance), $"first {length} octets");
        }
    }

    [Test]
    public void No_crlf_within_107_octets_is_refused_without_waiting_for_more()
    {
        var reason = Invalid("PROXY UNKNOWN " + new string('a', 120));

        Assert.That(reason, Is.EqualTo("PROXY v1 line has no CRLF within its first 107 octets"));
    }

    [Test]
    public void An_oversize_line_whose_crlf_comes_after_107_octets_is_refused()
    {
        Assert.That(Invalid("PROXY TCP4 " + new string('1', 100) + "\r\n"), Does.Contain("no CRLF within its first 107 octets"));
    }

    [TestCase("PROXY TCP4 10.0.0.1 10.0.0.2 1000 25\n", "bare LF")]
    [TestCase("PROXY TCP4 10.0.0.1\r10.0.0.2 1000 25\r\n", "bare CR")]
    public void Only_crlf_ends_the_line(string header, string reason)
    {
        Assert.That(Invalid(header), Does.Contain(reason));
    }

    [TestCase("EHLO client.test\r\n", "starts with 'E'")]
    [TestCase("PROXI TCP4\r\n", "does not start with 'PROXY '")]
    [TestCase("\x16\x03\x01", "starts with 0x16")]
    public void What_is_not_a_header_is_refused_from_its_first_differing_octet(string start, string reason)
    {
        Assert.That(Invalid(start), Does.Contain(reason));
    }

    [TestCase("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", "protocol 'TCP5' is none of TCP4, TCP6, UNKNOWN")]
    [TestCase("PROXY \r\n", "protocol '' is none of")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", "needs exactly")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", "needs exactly")]
    [TestCase("PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", "needs exactly")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", "needs exactly")]
    [TestCase("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", "source address '1.2.3' is not an IPv4 address")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.256 1 2\r\n", "destination address '5.6.7.256'")]
    [TestCase("PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", "source address '01.2.3.4'")]
    [TestCase("PROXY TCP4 0x7f.0.0.1 5.6.7.8 1 2\r\n", "source address '0x7f.0.0.1'")]
    [TestCase("PROXY TCP4 ::1 5.6.7.8 1 2\r\n", "source address '::1' is not an IPv4")]
    [TestCase("PROXY TCP6 1.2.3.4 ::1 1 2\r\n", "source address '1.2.3.4' is not an IPv6 address")]
    [TestCase("PROXY TCP6 ::1 fe80::1%eth0 1 2\r\n", "destination address 'fe80::1%eth0'")]
    [TestCase("PROXY TCP6 ::1 1:2:3:4:5:6:7:8:9 1 2\r\n", "destination address '1:2:3:4:5:6:7:8:9'")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n", "source port '65536' is not a port")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 025 2\r\n", "source port '025'")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 1 -2\r\n", "destination port '-2'")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 1 2x\r\n", "destination port '2x'")]
    public void Each_malformed_field_is_named(string header, string reason)
    {
        Assert.That(Invalid(header), Does.Contain(reason));
    }

    [Test]
    public void Unprintable_octets_in_a_field_are_not_echoed()
    {
        Assert.That(Invalid("PROXY TCP4 1.2.\x01.4 5.6.7.8 1 2\r\n"), Does.Contain("'1.2.?.4'"));
    }
}
