using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SmtpMock.Engines.Tests.Harness;

namespace SmtpMock.Engines.Tests.Haproxy;

/// <summary>The HAProxy harness in front of two tiny TCP servers: turns, PROXY v2, a chosen server, checks, HTTP.</summary>
[TestFixture]
internal sealed class HaproxyEngineTests
{
    private static readonly byte[] ProxyV2Signature = "\r\n\r\n\0\r\nQUIT\n"u8.ToArray();

    private TinyBackend _b0 = null!;
    private TinyBackend _b1 = null!;

    [SetUp]
    public void StartBackends()
    {
        _b0 = TinyBackend.Tcp("b0");
        _b1 = TinyBackend.Tcp("b1");
    }

    [TearDown]
    public async Task StopBackendsAsync()
    {
        await _b0.DisposeAsync();
        await _b1.DisposeAsync();
    }

    [Test]
    public async Task Round_robin_sends_new_connections_to_the_two_backends_in_turn()
    {
        await using var haproxy = await StartAsync(new() { Backends = [_b0.EndPoint, _b1.EndPoint] });
        await TestContext.Progress.WriteLineAsync($"haproxy: start {haproxy.StartupTime.TotalMilliseconds:0} ms");

        var served = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            served.Add(await GreetingAsync(haproxy.Port));
        }

        Assert.That(served.Distinct(), Is.EquivalentTo(new[] { "b0", "b1" }), haproxy.Failure("did not use both"));
        Assert.That(served.Zip(served.Skip(1)).All(pair => pair.First != pair.Second), Is.True, $"in turn: {string.Join(' ', served)}");
    }

    [Test]
    public async Task Send_proxy_v2_puts_the_signature_and_the_clients_address_before_its_bytes()
    {
        await using var haproxy = await StartAsync(new() { Backends = [_b0.EndPoint], SendProxyV2 = true });

        using var client = await ConnectAsync(haproxy.Port);
        var clientEnd = (IPEndPoint)client.Client.LocalEndPoint!;
        await client.GetStream().WriteAsync("hello\r\n"u8.ToArray());
        client.Close();
        var bytes = await OneReceivedAsync(_b0, haproxy);

        // PROXY v2 (haproxy.org proxy-protocol.txt 2.2): signature, version 2 + PROXY, TCP over IPv4, length, addresses.
        Assert.That(bytes.AsSpan(0, 12).ToArray(), Is.EqualTo(ProxyV2Signature), "the v2 signature first");
        var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(14, 2));
        Assert.Multiple(() =>
        {
            Assert.That(bytes[12], Is.EqualTo(0x21), "version 2, command PROXY");
            Assert.That(bytes[13], Is.EqualTo(0x11), "AF_INET, STREAM");
            Assert.That(new IPAddress(bytes.AsSpan(16, 4)), Is.EqualTo(clientEnd.Address), "source address: the client's");
            Assert.That(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(24, 2)), Is.EqualTo(clientEnd.Port), "source port: the client's");
            Assert.That(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(26, 2)), Is.EqualTo(haproxy.Port), "destination port: the frontend's");
            Assert.That(Encoding.ASCII.GetString(bytes, 16 + length, bytes.Length - 16 - length), Is.EqualTo("hello\r\n"), "then the client's bytes");
        });
    }

    [Test]
    public async Task Without_send_proxy_the_backend_gets_the_clients_bytes_alone()
    {
        await using var haproxy = await StartAsync(new() { Backends = [_b0.EndPoint] });

        using (var client = await ConnectAsync(haproxy.Port))
        {
            await client.GetStream().WriteAsync("hello\r\n"u8.ToArray());
        }

        Assert.That(Encoding.ASCII.GetString(await OneReceivedAsync(_b0, haproxy)), Is.EqualTo("hello\r\n"));
    }

    [Test]
    public async Task Force_next_sends_every_new_connection_to_the_chosen_backend_until_released()
    {
        await using var haproxy = await StartAsync(new() { Backends = [_b0.EndPoint, _b1.EndPoint] });

        await haproxy.ForceNextAsync(1);
        var forced = new[] { await GreetingAsync(haproxy.Port), await GreetingAsync(haproxy.Port), await GreetingAsync(haproxy.Port) };
        Assert.That(await haproxy.StatusOfAsync(0), Is.EqualTo("MAINT"));
        await haproxy.ReleaseAsync();
        var released = new[] { await GreetingAsync(haproxy.Port), await GreetingAsync(haproxy.Port) };

        Assert.That(forced, Is.All.EqualTo("b1"), haproxy.Failure("did not keep to s1"));
        Assert.That(released, Is.EquivalentTo(new[] { "b0", "b1" }), "both in turn again");
    }

    [Test]
    public async Task The_direct_port_of_a_backend_reaches_only_that_one()
    {
        await using var haproxy = await StartAsync(new() { Backends = [_b0.EndPoint, _b1.EndPoint] });

        Assert.That(new[] { await GreetingAsync(haproxy.PortOf(0)), await GreetingAsync(haproxy.PortOf(0)) }, Is.All.EqualTo("b0"));
        Assert.That(new[] { await GreetingAsync(haproxy.PortOf(1)), await GreetingAsync(haproxy.PortOf(1)) }, Is.All.EqualTo("b1"));
    }

    [Test]
    public async Task First_fills_the_first_backend_up_to_its_maxconn_then_takes_the_next()
    {
        await using var haproxy = await StartAsync(new() { Backends = [_b0.EndPoint, _b1.EndPoint], Balance = HaproxyBalance.First, ServerMaxConnections = 1 });

        using var held = await ConnectAsync(haproxy.Port);
        var first = await ReadLineAsync(held);
        var second = await GreetingAsync(haproxy.Port);

        Assert.That((first, second), Is.EqualTo(("b0", "b1")), haproxy.Failure("did not fill s0 first"));
    }

    [Test]
    public async Task A_tcp_check_takes_a_dead_backend_out_of_the_rotation()
    {
        await using var haproxy = await StartAsync(new() { Backends = [_b0.EndPoint, _b1.EndPoint], HealthCheck = HaproxyHealthCheck.Tcp });
        await Poll.UntilAsync(async _ => await haproxy.StatusOfAsync(0) == "UP", Engine.StartDeadline, "s0 UP");

        await _b0.DisposeAsync();
        await Poll.UntilAsync(async _ => await haproxy.StatusOfAsync(0) == "DOWN", Engine.StartDeadline, "s0 DOWN after b0 stopped");
        _b0 = TinyBackend.Tcp("b0"); // for the teardown: a new one on another port, not in HAProxy's config

        var served = new[] { await GreetingAsync(haproxy.Port), await GreetingAsync(haproxy.Port), await GreetingAsync(haproxy.Port) };
        Assert.That(served, Is.All.EqualTo("b1"));
    }

    [Test]
    public async Task The_http_frontend_balances_requests_in_turn_and_names_the_client()
    {
        await using var a0 = TinyBackend.Http("a0");
        await using var a1 = TinyBackend.Http("a1");
        await using var haproxy = await StartAsync(new() { Backends = [_b0.EndPoint], HttpBackends = [a0.EndPoint, a1.EndPoint] });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{haproxy.HttpPort}/") };

        var bodies = new[] { await http.GetStringAsync("api/v1/messages"), await http.GetStringAsync("api/v1/messages") };

        Assert.That(bodies, Is.EquivalentTo(new[] { "a0", "a1" }), haproxy.Failure("did not balance"));
        await Poll.UntilAsync(() => !a0.Received.IsEmpty, Engine.StopDeadline, "a0 has the request");
        Assert.That(Encoding.ASCII.GetString(a0.Received.Single()), Does.StartWith("GET /api/v1/messages HTTP/1.1").And.Contain("x-forwarded-for: 127.0.0.1").IgnoreCase);
    }

    [Test]
    public async Task Killed_it_refuses_connections_and_started_again_it_balances_on_the_same_port()
    {
        await using var haproxy = await StartAsync(new() { Backends = [_b0.EndPoint] });

        await haproxy.KillAsync();
        Assert.That(async () => await ConnectAsync(haproxy.Port), Throws.InstanceOf<SocketException>());
        await haproxy.StartAgainAsync();
        await TestContext.Progress.WriteLineAsync($"haproxy: start again after SIGKILL {haproxy.StartupTime.TotalMilliseconds:0} ms");

        Assert.That(await GreetingAsync(haproxy.Port), Is.EqualTo("b0"));
    }

    private static async Task<HaproxyEngine> StartAsync(HaproxyOptions options) => await HaproxyEngine.StartAsync(options);

    private static async Task<TcpClient> ConnectAsync(int port)
    {
        var client = new TcpClient(AddressFamily.InterNetwork); // its LocalEndPoint an IPv4 address, as HAProxy sees it
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Connects through HAProxy and returns the name the backend greeted with.</summary>
    private static async Task<string> GreetingAsync(int port)
    {
        using var client = await ConnectAsync(port);
        return await ReadLineAsync(client);
    }

    private static async Task<string> ReadLineAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(Engine.StopDeadline);
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII, leaveOpen: true);
        return await reader.ReadLineAsync(timeout.Token) ?? throw new AssertionException("the connection closed before a greeting");
    }

    private static async Task<byte[]> OneReceivedAsync(TinyBackend backend, HaproxyEngine haproxy)
    {
        await Poll.UntilAsync(() => !backend.Received.IsEmpty, Engine.StopDeadline, haproxy.Failure($"{backend.Name} saw the connection end"));
        return backend.Received.Single();
    }
}
