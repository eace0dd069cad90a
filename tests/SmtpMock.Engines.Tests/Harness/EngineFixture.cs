namespace SmtpMock.Engines.Tests.Harness;

/// <summary>
/// One engine for a whole fixture: started once (its startup time on the progress output), started again before a
/// test if an earlier one left it stopped or killed, killed and its folder removed after the last test. The
/// process-exit net of <see cref="EngineReaper"/> covers a teardown that never runs.
/// </summary>
internal abstract class EngineFixture<TEngine>
    where TEngine : Engine
{
    private TEngine? _engine;

    protected TEngine Engine => _engine ?? throw new InvalidOperationException("the engine did not start (see OneTimeSetUp)");

    [OneTimeSetUp]
    public async Task StartEngineAsync()
    {
        _engine = await StartAsync();
        await ReportStartAsync("start");
    }

    [OneTimeTearDown]
    public async Task DisposeEngineAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    [SetUp]
    public async Task EnsureRunningAsync()
    {
        if (!Engine.IsRunning)
        {
            await Engine.StartAgainAsync(); // a test that failed half-way through an outage
        }
    }

    protected abstract Task<TEngine> StartAsync();

    /// <summary>Writes how long the last start took, for the record of startup times.</summary>
    protected Task ReportStartAsync(string what) =>
        TestContext.Progress.WriteLineAsync($"{Engine.Name}: {what} {Engine.StartupTime.TotalMilliseconds:0} ms");
}
