using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Server.Tests.Scenarios;

/// <summary>The scenario state contract on the in-memory state, its time on a fake clock.</summary>
public class MemoryScenarioStateTests : ScenarioStateContract
{
    private readonly FakeTimeProvider _clock = new();

    protected override DateTimeOffset Now => _clock.GetUtcNow();

    protected override Task<IScenarioState> CreateAsync() => Task.FromResult<IScenarioState>(new MemoryScenarioState(_clock));

    /// <summary>Advances the fake clock 50 ms before each ask, for at most a minute of its time.</summary>
    protected override async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (await condition())
            {
                return;
            }

            _clock.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Fail($"{what}: not within a minute of the fake clock");
    }
}
