using System.Net;
using SmtpMock.Server.Capture;
using SmtpMock.Server.History;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Testing;

/// <summary>
/// A real SmtpMock server inside the test process, for any test framework:
/// <c>await using var smtp = await SmtpMockFixture.StartAsync();</c>, point the code under test at
/// <see cref="Host"/>:<see cref="Port"/>, then assert on <see cref="Messages"/> and <see cref="Sessions"/>.
/// Each fixture has its own port, messages and scenario, so tests can run in parallel.
/// </summary>
public sealed class SmtpMockFixture : IAsyncDisposable
{
    private readonly MemoryMessageStore _store;

    private SmtpMockFixture(SmtpMockServer server, MemoryMessageStore store)
    {
        Server = server;
        _store = store;
    }

    /// <summary>The server underneath, for what the fixture does not wrap.</summary>
    public SmtpMockServer Server { get; }

    /// <summary>The address to connect to, as text (<c>127.0.0.1</c> by default).</summary>
    public string Host => Server.EndPoint.Address.ToString();

    /// <summary>The port the server listens on (a free one unless a port was asked for).</summary>
    public int Port => Server.EndPoint.Port;

    /// <summary>The messages accepted since the start or the last <see cref="Reset"/>, oldest first.</summary>
    public IReadOnlyList<ReceivedMessage> Messages => [.. _store.Messages.Select(m => new ReceivedMessage(m))];

    /// <summary>
    /// Finished sessions since the start or the last <see cref="Reset"/>, oldest first, each an immutable record with
    /// its transcript (every line in and out, and the scenario rule that answered), as the HTTP API shows it. A
    /// session is here once its client has closed the connection: use <see cref="WaitForSessionsAsync"/> right after
    /// a client disconnects.
    /// </summary>
    public IReadOnlyList<SessionRecord> Sessions => [.. Server.FinishedSessions.Select(s => SessionRecords.From(s, Server.Options.InstanceId))];

    /// <summary>The active scenario, or null when the server behaves correctly.</summary>
    public Scenario? Scenario => Server.Scenarios.Active;

    /// <summary>Starts a server and returns once it accepts connections.</summary>
    public static async Task<SmtpMockFixture> StartAsync(Action<SmtpMockFixtureOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var options = new SmtpMockFixtureOptions();
        configure?.Invoke(options);
        var serverOptions = options.ToServerOptions();
        var store = new MemoryMessageStore(serverOptions.MaxStoredMessages, serverOptions.MaxStoredBytes);
        var server = new SmtpMockServer(serverOptions with { MessageStore = store }, options.LoggerFactory);
        try
        {
            server.Scenarios.Activate(options.Scenario);
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new SmtpMockFixture(server, store);
    }

    /// <summary>Makes this scenario active for connections opened from now on (null: a correct server again).</summary>
    public void UseScenario(Scenario? scenario) => Server.Scenarios.Activate(scenario);

    /// <summary>Makes a scenario built in C# active for connections opened from now on.</summary>
    public void UseScenario(Action<ScenarioBuilder> build) => UseScenario(ScenarioSource.Build(build));

    /// <summary>Makes the scenario in this YAML text active for connections opened from now on.</summary>
    public void UseScenarioYaml(string yaml) => UseScenario(ScenarioSource.FromYaml(yaml));

    /// <summary>Makes the scenario in this file active for connections opened from now on.</summary>
    public void UseScenarioFile(string path) => UseScenario(ScenarioSource.FromFile(path));

    /// <summary>
    /// Forgets the messages and finished sessions and restarts the active scenario's counters (<c>nth</c> per
    /// server, <c>times</c>, greylisting keys, the seeded random sequence), so one fixture can serve many tests.
    /// Call it while no client is connected; connection numbers (<c>session:</c> selectors) keep counting.
    /// </summary>
    public void Reset()
    {
        _store.Clear();
        Server.ClearFinishedSessions();
        Server.Scenarios.Reset();
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> messages have been accepted and returns them all; throws
    /// <see cref="TimeoutException"/> saying what did arrive when they have not within <paramref name="timeout"/>.
    /// </summary>
    public Task<IReadOnlyList<ReceivedMessage>> WaitForMessagesAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitAsync<StoreChange, ReceivedMessage>(
            count,
            timeout,
            ("message", "messages"),
            handler => _store.Changed += handler,
            handler => _store.Changed -= handler,
            () => _store.Count,
            () => Messages,
            cancellationToken);

    /// <summary>
    /// Waits for the first message (kept or still to come) that <paramref name="match"/> accepts and returns it; throws
    /// <see cref="TimeoutException"/> naming what did arrive when none has within <paramref name="timeout"/> (10 s by
    /// default). <c>await smtp.WaitForMessageAsync(m =&gt; m.Subject == "Welcome")</c>.
    /// </summary>
    public async Task<ReceivedMessage> WaitForMessageAsync(Func<ReceivedMessage, bool> match, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        var wait = timeout ?? TimeSpan.FromSeconds(10);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        try
        {
            return new ReceivedMessage(await _store.WaitForAsync(m => match(new ReceivedMessage(m)), deadline.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var got = Messages;
            throw new TimeoutException(
                $"no matching message within {wait.TotalSeconds:0.###} s; got {got.Count}" + (got.Count == 0 ? string.Empty : ": " + string.Join("; ", got)));
        }
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> sessions have ended and returns them all, with transcripts;
    /// throws <see cref="TimeoutException"/> when they have not within <paramref name="timeout"/>.
    /// </summary>
    public Task<IReadOnlyList<SessionRecord>> WaitForSessionsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitAsync<SessionContext, SessionRecord>(
            count,
            timeout,
            ("finished session", "finished sessions"),
            handler => Server.SessionEnded += handler,
            handler => Server.SessionEnded -= handler,
            () => Server.FinishedSessions.Count,
            () => Sessions,
            cancellationToken);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    public override string ToString() => $"SmtpMock on {new IPEndPoint(Server.EndPoint.Address, Port)}";

    private static async Task<IReadOnlyList<TItem>> WaitAsync<TEvent, TItem>(
        int count,
        TimeSpan timeout,
        (string One, string Many) what,
        Action<Action<TEvent>> subscribe,
        Action<Action<TEvent>> unsubscribe,
        Func<int> current,
        Func<IReadOnlyList<TItem>> snapshot,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEvent(TEvent _)
        {
            if (current() >= count)
            {
                enough.TrySetResult();
            }
        }

        subscribe(OnEvent);
        try
        {
            if (current() < count)
            {
                await enough.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
            var got = snapshot();
            throw new TimeoutException(
                $"expected {count} {(count == 1 ? what.One : what.Many)} within {timeout.TotalSeconds:0.###} s, got {got.Count}" +
                (got.Count == 0 ? string.Empty : ": " + string.Join("; ", got)));
        }
        finally
        {
            unsubscribe(OnEvent);
        }

        return snapshot();
    }
}
