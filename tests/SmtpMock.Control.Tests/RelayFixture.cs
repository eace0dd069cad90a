using System.Net;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Relay;

namespace SmtpMock.Control.Tests;

/// <summary>
/// A control plane whose relay (--relay) is a second SmtpMock on 127.0.0.1 port 0, started once per test class and
/// emptied before each test. A class shapes the relay (<see cref="ConfigureRelay"/>) and how it is reached (<see cref="Target"/>).
/// </summary>
public abstract class RelayFixture : ControlFixture
{
    protected SmtpMockServer RelayServer { get; private set; } = null!;

    protected sealed override RelayTarget? Relay => Target(RelayServer.EndPoint.Port);

    [OneTimeSetUp]
    public async Task StartRelayAsync()
    {
        RelayServer = new SmtpMockServer(ConfigureRelay(new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), Hostname = "relay.test" }));
        await RelayServer.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopRelayAsync() => await RelayServer.DisposeAsync();

    [SetUp]
    public void ForgetRelayed() => RelayServer.Messages.Clear();

    /// <summary>The relay's options beyond its address and name.</summary>
    protected virtual SmtpServerOptions ConfigureRelay(SmtpServerOptions options) => options;

    /// <summary>The relay as --relay names it: a test server by default, its generated certificate taken as it is (--relay-insecure).</summary>
    protected virtual RelayTarget Target(int port) => new("127.0.0.1", port) { AcceptAnyCertificate = true };
}
