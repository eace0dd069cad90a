using System.Buffers.Binary;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Tests.Proxy;

/// <summary>
/// The PROXY protocol in front of the greeting (issue #21), over real sockets on loopback: the header's source becomes
/// the session's client everywhere; a connection from an untrusted peer, or without a valid header in time, is closed
/// ungreeted with one log line, and the server goes on serving the others.
/// </summary>
[TestFixture]
public sealed class ProxyProtocolTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private FakeLogCollector _logs = null!;
    private ILoggerFactory _loggers = null!;

    [SetUp]
    public void CollectLogs()
    {
        _logs = new FakeLogCollector();
        _loggers = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(_logs)));
    }

    [TearDown]
    public void DisposeLoggers() => _loggers.Dispose();

    private async Task<SmtpMockServer> StartAsync(ProxyProtocolOptions proxy, int maxPerAddress = 100)
    {
        var server = new SmtpMockServer(new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Hostname = "mock.test", ProxyProtocol = proxy, MaxConnectionsPerAddress = maxPerAddress }, _loggers);
        await server.StartAsync();
        return server;
    }

    private static byte[] V2(byte versionCommand, byte familyTransport, byte[] block)
    {
        byte[] header = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, versionCommand, familyTransport, 0, 0, .. block];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)block.Length);
        return header;
    }

    private static byte[] Ipv4Block(string source, ushort sourcePort, string destination, ushort destinationPort)
    {
        byte[] block = [.. IPAddress.Parse(source).GetAddressBytes(), .. IPAddress.Parse(destination).GetAddressBytes(), 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(8), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(10), destinationPort);
        return block;
    }

    private static async Task SendOneAsync(WireClient client, string from)
    {
        Assert.That((await client.ReadReplyAsync())[^1], Does.StartWith("220 mock.test"));
        Assert.That((await client.CommandAsync("EHLO client.test"))[^1], Does.StartWith("250 "));
        await SendAfterEhloAsync(client, from);
    }

    private static async Task SendAfterEhloAsync(WireClient client, string from)
    {
        await client.SendMessageAsync(from, "rcpt@example.org", "Subject: proxied\r\n\r\nbody\r\n");
        await client.CommandAsync("QUIT");
    }

    private static async Task<CapturedMessage> CapturedFromAsync(SmtpMockServer server, string sender)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        return await server.Messages.WaitForAsync(m => m.Sender.Address == sender, timeout.Token);
    }

    private static async Task<SessionContext> SessionAsync(SmtpMockServer server, long id)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        return await server.WaitForSessionEndAsync(id, timeout.Token);
    }

    private IReadOnlyList<string> Refusals() =>
        [.. _logs.GetSnapshot().Where(r => r.Message.StartsWith("PROXY protocol: closed", StringComparison.Ordinal)).Select(r => r.Message)];

    [Test]
    public async Task A_v1_header_makes_its_source_the_client_of_the_transcript_and_the_captured_message()
    {
        await using var server = await StartAsync(new ProxyProtocolOptions());
        await using var client = await WireClient.ConnectAsync(server.EndPoint);
        await client.WriteAsync($"PROXY TCP4 203.0.113.9 198.51.100.1 41000 25\r\n");
        await SendOneAsync(client, "v1@example.com");

        var message = await CapturedFromAsync(server, "v1@example.com");
        var session = await SessionAsync(server, 1);

        Assert.That(message.Client, Is.EqualTo("203.0.113.9:41000"));
        Assert.That(session.Client, Is.EqualTo(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 41000)));
        Assert.That(session.Transcript.Lines.Select(l => l.Text), Has.Some.EqualTo($"PROXY v1 from {client.LocalEndPoint}: client 203.0.113.9:41000, connected to 198.51.100.1:25"));
        Assert.That(Refusals(), Is.Empty);
    }

    [Test]
    public async Task A_v2_header_with_tlvs_and_an_ehlo_in_the_same_write_is_read_and_the_ehlo_answered()
    {
        await using var server = await StartAsync(new ProxyProtocolOptions());
        await using var client = await WireClient.ConnectAsync(server.EndPoint);
        byte[] tlvs = [0x01, 0x00, 0x02, (byte)'h', (byte)'2', 0x04, 0x00, 0x00];
        await client.WriteAsync([.. V2(0x21, 0x11, [.. Ipv4Block("198.51.100.77", 50123, "192.0.2.1", 2525), .. tlvs]), .. "EHLO early.test\r\n"u8]);

        Assert.That((await client.ReadReplyAsync())[^1], Does.StartWith("220 mock.test"));
        Assert.That((await client.ReadReplyAsync())[^1], Does.StartWith("250 "), "the EHLO that came with the header");
        await SendAfterEhloAsync(client, "v2@example.com");

        Assert.That((await CapturedFromAsync(server, "v2@example.com")).Client, Is.EqualTo("198.51.100.77:50123"));
        Assert.That((await SessionAsync(server, 1)).HeloName, Is.EqualTo("early.test"));
    }

    [Test]
    public async Task On_the_implicit_tls_port_the_header_comes_before_the_handshake_even_in_the_same_read_as_the_client_hello()
    {
        var options = new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), ImplicitTlsPort = 0, ProxyProtocol = new ProxyProtocolOptions() };
        await using var server = new SmtpMockServer(options, _loggers);
        await server.StartAsync();
        using var socket = new System.Net.Sockets.TcpClient();
        using var timeout = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(server.TlsEndPoint!, timeout.Token);
        var header = V2(0x21, 0x11, Ipv4Block("192.0.2.44", 60000, "192.0.2.1", 465));
        await using var tls = new System.Net.Security.SslStream(new HeaderFirstStream(socket.GetStream(), header), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
        using var reader = new StreamReader(tls, Encoding.ASCII);

        Assert.That(await reader.ReadLineAsync(timeout.Token), Does.StartWith("220 "));
        await tls.WriteAsync("QUIT\r\n"u8.ToArray(), timeout.Token);
        Assert.That(await reader.ReadLineAsync(timeout.Token), Does.StartWith("221 "));
        var session = await SessionAsync(server, 1);
        Assert.That((session.Client, session.Tls?.Succeeded), Is.EqualTo((new IPEndPoint(IPAddress.Parse("192.0.2.44"), 60000), (bool?)true)));
    }

    [Test]
    public async Task A_v2_local_header_leaves_the_balancer_as_the_client()
    {
        await using var server = await StartAsync(new ProxyProtocolOptions());
        await using var client = await WireClient.ConnectAsync(server.EndPoint);
        await client.WriteAsync(V2(0x20, 0x00, []));
        await SendOneAsync(client, "local@example.com");

        Assert.That((await CapturedFromAsync(server, "local@example.com")).Client, Is.EqualTo(client.LocalEndPoint.ToString()));
    }

    [Test]
    public async Task Without_a_header_within_the_timeout_the_connection_is_closed_ungreeted_and_logged()
    {
        await using var server = await StartAsync(new ProxyProtocolOptions { HeaderTimeout = TimeSpan.FromMilliseconds(300) });
        await using var silent = await WireClient.ConnectAsync(server.EndPoint);

        Assert.That(await silent.ReadUntilClosedAsync(), Is.Empty, "no greeting, nothing at all");
        Assert.That(Refusals(), Is.EqualTo(new[] { $"PROXY protocol: closed {silent.LocalEndPoint} without a greeting: no complete PROXY header within 0.3 s" }));
        Assert.That(server.ActiveSessions, Is.Zero);
        Assert.That(server.FinishedSessions, Is.Empty, "it never was a session");
    }

    [Test]
    public async Task A_header_cut_short_by_the_peer_is_logged_with_what_came()
    {
        await using var server = await StartAsync(new ProxyProtocolOptions());
        await using (var cut = await WireClient.ConnectAsync(server.EndPoint))
        {
            await cut.WriteAsync("PROXY TCP4 10.0.0.1");
            cut.ShutdownSend();
            Assert.That(await cut.ReadUntilClosedAsync(), Is.Empty);
        }

        Assert.That(Refusals().Single(), Does.EndWith("closed by the peer after 19 octets, before a complete PROXY header"));
    }

    [Test]
    public async Task Garbage_is_closed_at_once_ungreeted_and_the_server_goes_on_serving_others()
    {
        await using var server = await StartAsync(new ProxyProtocolOptions());
        await using var held = await WireClient.ConnectAsync(server.EndPoint); // says nothing while the others come and go
        await using (var garbage = await WireClient.ConnectAsync(server.EndPoint))
        {
            await garbage.WriteAsync("EHLO no-header.test\r\n");
            Assert.That(await garbage.ReadUntilClosedAsync(), Is.Empty);
            Assert.That(Refusals(), Is.EqualTo(new[] { $"PROXY protocol: closed {garbage.LocalEndPoint} without a greeting: no PROXY protocol header: the connection starts with 'E', not 'PROXY ' (v1) or the v2 signature" }));
        }

        await using (var malformed = await WireClient.ConnectAsync(server.EndPoint))
        {
            await malformed.WriteAsync("PROXY TCP4 10.0.0.300 10.0.0.2 1 2\r\n");
            Assert.That(await malformed.ReadUntilClosedAsync(), Is.Empty);
            Assert.That(Refusals()[^1], Does.EndWith("PROXY v1 source address '10.0.0.300' is not an IPv4 address in canonical form (four numbers 0-255, no leading zeros)"));
        }

        await using var good = await WireClient.ConnectAsync(server.EndPoint);
        await good.WriteAsync("PROXY TCP6 2001:db8::5 2001:db8::25 40000 25\r\n");
        await SendOneAsync(good, "after@example.com");
        Assert.That((await CapturedFromAsync(server, "after@example.com")).Client, Is.EqualTo("[2001:db8::5]:40000"));
    }

    [Test]
    public async Task A_peer_outside_the_trusted_networks_is_closed_ungreeted_even_with_a_valid_header()
    {
        await using var server = await StartAsync(new ProxyProtocolOptions { From = [IPNetwork.Parse("10.0.0.0/8")] });
        await using var client = await WireClient.ConnectAsync(server.EndPoint);
        await client.WriteAsync("PROXY TCP4 10.1.1.1 10.0.0.2 1000 25\r\n");

        Assert.That(await client.ReadUntilClosedAsync(), Is.Empty);
        Assert.That(Refusals(), Is.EqualTo(new[] { $"PROXY protocol: closed {client.LocalEndPoint} without a greeting: not in the networks trusted to send a PROXY header (10.0.0.0/8)" }));
        Assert.That(server.ActiveSessions, Is.Zero);
    }

    [Test]
    public async Task The_per_address_limit_counts_the_real_clients_not_the_balancer()
    {
        await using var server = await StartAsync(new ProxyProtocolOptions(), maxPerAddress: 1);
        await using var first = await WireClient.ConnectAsync(server.EndPoint);
        await first.WriteAsync("PROXY TCP4 192.0.2.1 192.0.2.100 1000 25\r\n");
        Assert.That((await first.ReadReplyAsync())[^1], Does.StartWith("220 "));
        await using var second = await WireClient.ConnectAsync(server.EndPoint);
        await second.WriteAsync("PROXY TCP4 192.0.2.2 192.0.2.100 1000 25\r\n");
        Assert.That((await second.ReadReplyAsync())[^1], Does.StartWith("220 "), "another client through the same balancer");

        await using var again = await WireClient.ConnectAsync(server.EndPoint);
        await again.WriteAsync("PROXY TCP4 192.0.2.1 192.0.2.100 1001 25\r\n");

        Assert.That(await again.ReadLineAsync(), Is.EqualTo("421 4.7.0 Too many connections from your address, try again later"));
        Assert.That(await again.ReadUntilClosedAsync(), Is.Empty);
        Assert.That(server.ActiveSessions, Is.EqualTo(2));
    }

    [Test]
    public void Options_without_a_trusted_network_are_refused()
    {
        var options = new SmtpServerOptions { ProxyProtocol = new ProxyProtocolOptions { From = [], HeaderTimeout = TimeSpan.Zero } };

        Assert.That(options.Validate(), Is.EqualTo(new[]
        {
            "PROXY protocol needs at least one network to trust it from (every connection would be refused)",
            "the PROXY header timeout must be positive and at most 49 days",
        }));
    }

    [TestCase("127.0.0.1", true)]
    [TestCase("127.255.0.9", true)]
    [TestCase("::ffff:127.0.0.1", true)]
    [TestCase("::1", true)]
    [TestCase("10.0.0.1", false)]
    [TestCase("::2", false)]
    public void Loopback_is_trusted_by_default_and_an_ipv4_mapped_peer_counts_as_ipv4(string peer, bool trusted)
    {
        Assert.That(new ProxyProtocolOptions().Trusts(IPAddress.Parse(peer)), Is.EqualTo(trusted));
    }
}
