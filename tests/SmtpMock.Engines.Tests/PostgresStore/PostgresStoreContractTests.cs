using SmtpMock.Engines.Tests.Postgres;
using SmtpMock.PostgreSql;
using SmtpMock.Server.Capture;
using SmtpMock.Tests.Shared;

namespace SmtpMock.Engines.Tests.PostgresStore;

/// <summary>The store contract (tests/Shared) on PostgreSQL: each test on an empty database of its own.</summary>
[TestFixture]
internal sealed class PostgresStoreContractTests : MessageStoreContract
{
    private readonly List<PostgresBackend> _backends = [];
    private PostgresEngine? _engine;

    [OneTimeSetUp]
    public async Task StartEngineAsync() => _engine = await PostgresEngine.StartAsync();

    [OneTimeTearDown]
    public async Task DisposeEngineAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    [TearDown]
    public async Task CloseBackendsAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        _backends.Clear();
    }

    protected override async Task<IMessageStore> CreateAsync()
    {
        var backend = await Databases.OpenAsync(await Databases.CreateAsync(_engine!));
        _backends.Add(backend);
        return backend.Messages;
    }
}
