using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>A fresh server with the default test options (127.0.0.1, port 0) for each test of a fixture.</summary>
public abstract class ServerFixture
{
    protected SmtpMockServer Server { get; private set; } = null!;

    [SetUp]
    public async Task StartServer() => Server = await TestServer.StartAsync();

    [TearDown]
    public async Task StopServer() => await Server.DisposeAsync();
}
