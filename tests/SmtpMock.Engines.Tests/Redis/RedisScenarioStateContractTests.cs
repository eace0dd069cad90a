using SmtpMock.Engines.Tests.Harness;
using SmtpMock.Redis;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Engines.Tests.Redis;

/// <summary>The scenario state contract on Redis: each test its own namespace on one throw-away Redis.</summary>
[TestFixture]
internal sealed class RedisScenarioStateContractTests : ScenarioStateContract
{
    private RedisEngine? _engine;

    protected override DateTimeOffset Now => DateTimeOffset.UtcNow;

    /// <summary>Redis keeps first-seen times in whole milliseconds.</summary>
    protected override TimeSpan Precision => TimeSpan.FromMilliseconds(1);

    [OneTimeSetUp]
    public async Task StartAsync() => _engine = await RedisEngine.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    protected override async Task<IScenarioState> CreateAsync()
    {
        var settings = RedisSettings.Parse($"{_engine!.Uri}?namespace=t{Guid.NewGuid():N}", null);
        var backend = await RedisBackend.ConnectAsync(settings, "contract", new LogRecorder(), CancellationToken.None);
        await backend.Bus.DisposeAsync(); // the state alone; the connection closes when it is disposed
        return backend.State;
    }

    protected override Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Poll.UntilAsync(_ => condition(), TimeSpan.FromSeconds(10), what);
}
