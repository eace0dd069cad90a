using SmtpMock.Engines.Tests.Harness;
using SmtpMock.Engines.Tests.Postgres;
using SmtpMock.PostgreSql;

namespace SmtpMock.Engines.Tests.PostgresStore;

/// <summary>One PostgreSQL for the fixture, and the backends a test opened on it closed after the test.</summary>
internal abstract class BackendFixture : EngineFixture<PostgresEngine>
{
    private readonly List<PostgresBackend> _backends = [];

    [TearDown]
    public async Task CloseBackendsAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        _backends.Clear();
    }

    protected override Task<PostgresEngine> StartAsync() => PostgresEngine.StartAsync();

    /// <summary>A backend on <paramref name="uri"/>, closed after the test.</summary>
    protected async Task<PostgresBackend> OpenAsync(string uri, int maxMessages = 1000, long maxBytes = 512L * 1024 * 1024, int maxSessions = 1000)
    {
        var backend = await Databases.OpenAsync(uri, maxMessages, maxBytes, maxSessions);
        _backends.Add(backend);
        return backend;
    }

    /// <summary>Backends opened some other way, closed after the test too.</summary>
    protected void Track(IEnumerable<PostgresBackend> backends) => _backends.AddRange(backends);
}
