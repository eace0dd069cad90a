using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using SmtpMock.Control.Hosting;
using SmtpMock.PostgreSql;
using SmtpMock.Redis;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>
/// One SmtpMock instance as <c>smtpmock serve --store postgresql://... --state redis://... --proxy-protocol
/// --instance-id ID</c> would build it, in process: the PostgreSQL store and archive, the Redis state and event bus,
/// the SMTP server behind HAProxy's PROXY v2 header and its HTTP API, each on a loopback port of its own.
/// </summary>
internal sealed class ClusterInstance : IAsyncDisposable
{
    private readonly PostgresBackend _store;
    private readonly RedisBackend _state;

    private ClusterInstance(string id, PostgresBackend store, RedisBackend state, SmtpMockServer server, ControlServer control)
    {
        Id = id;
        _store = store;
        _state = state;
        Server = server;
        Control = control;
        Http = new HttpClient { BaseAddress = control.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Id { get; }

    public SmtpMockServer Server { get; }

    public ControlServer Control { get; }

    /// <summary>A client of this instance's API (its base address set).</summary>
    public HttpClient Http { get; }

    public static async Task<ClusterInstance> StartAsync(string id, string storeUri, string stateUri, CancellationToken cancellationToken)
    {
        var loggers = NullLoggerFactory.Instance;
        var store = await PostgresBackend.OpenAsync(PostgresStoreSettings.Parse(storeUri, null), 1000, 512L * 1024 * 1024, 1000, loggers, cancellationToken);
        RedisBackend? state = null;
        SmtpMockServer? server = null;
        try
        {
            state = await RedisBackend.ConnectAsync(RedisSettings.Parse(stateUri, null), id, loggers, cancellationToken);
            server = new SmtpMockServer(new SmtpServerOptions
            {
                EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                Hostname = $"{id}.mock.test",
                MessageStore = store.Messages,
                SessionArchive = store.Sessions,
                ScenarioState = state.State,
                EventBus = state.Bus,
                InstanceId = id,
                ProxyProtocol = new ProxyProtocolOptions(),
            });
            await server.StartAsync(cancellationToken);
            var control = await ControlServer.StartAsync(server, new ControlOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, loggers, cancellationToken);
            return new ClusterInstance(id, store, state, server, control);
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            if (state is not null)
            {
                await state.DisposeAsync();
            }

            await store.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Control.DisposeAsync();
        await Server.DisposeAsync();
        await _state.DisposeAsync();
        await _store.DisposeAsync();
    }
}
