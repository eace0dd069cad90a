using System.Runtime.CompilerServices;
using SmtpMock.Control.Api;
using SmtpMock.Control.Events;
using SmtpMock.Server.Cluster;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Control.Hosting;

/// <summary>What every endpoint shares: the server, the options, the wait signals, the event hub and scenario texts.</summary>
internal sealed class ControlState : IDisposable
{
    private readonly ConditionalWeakTable<Scenario, string> _yaml = [];
    /// <summary>Other instances' sessions in /metrics; none for a lone process (no bus, no series).</summary>
    private readonly ClusterSessions? _clusterSessions;

    public ControlState(SmtpMockServer server, ControlOptions options, Microsoft.Extensions.Logging.ILogger logger)
    {
        Server = server;
        Options = options;
        Logger = logger;
        Events = new EventHub(server, options.EventBuffer, options.MaxEventStreams);
        _clusterSessions = !server.Options.EventBus.ReachesOthers ? null : new ClusterSessions(server.Options.EventBus, server.Metrics.Meter);
        _waits = new SemaphoreSlim(options.MaxWaits, options.MaxWaits);
        server.Messages.Changed += OnStoreChanged;
        server.Sessions.Saved += OnSessionSaved;
    }

    public SmtpMockServer Server { get; }

    public ControlOptions Options { get; }

    /// <summary>The HTTP side's own log lines (a release, say), on the server's console.</summary>
    public Microsoft.Extensions.Logging.ILogger Logger { get; }

    public ChangeSignal MessagesChanged { get; } = new();

    public ChangeSignal SessionsChanged { get; } = new();

    public EventHub Events { get; }

    private readonly SemaphoreSlim _waits;

    /// <summary>
    /// A place among the wait calls open at once (<see cref="ControlOptions.MaxWaits"/>), or null when there is none:
    /// each holds a connection, so an unbounded number could take what the server needs elsewhere.
    /// </summary>
    public IDisposable? EnterWait() => _waits.Wait(0) ? new WaitSlot(_waits) : null;

    private sealed class WaitSlot(SemaphoreSlim waits) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                waits.Release();
            }
        }
    }

    /// <summary>When the scenario was last reset: the retries view starts there.</summary>
    public DateTimeOffset ClientsSince { get; set; } = DateTimeOffset.MinValue;

    public void RememberYaml(Scenario scenario, string yaml) => _yaml.AddOrUpdate(scenario, yaml);

    /// <summary>The text a scenario came from: what was PUT, its file as it is now, or the text it was built from (MailHog's Jim).</summary>
    public string? YamlOf(Scenario scenario)
    {
        if (_yaml.TryGetValue(scenario, out var text))
        {
            return text;
        }

        if (scenario.Yaml is { } parsed)
        {
            // A scenario another listener made from text (the Mailpit port's chaos): the text it was parsed from.
            return parsed;
        }

        try
        {
            return scenario.SourcePath is { } path ? File.ReadAllText(path) : scenario.Yaml;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        Server.Messages.Changed -= OnStoreChanged;
        Server.Sessions.Saved -= OnSessionSaved;
        Events.Dispose();
        _clusterSessions?.Dispose();
        _waits.Dispose();
    }

    private void OnStoreChanged(Server.Capture.StoreChange change) => MessagesChanged.Set();

    private void OnSessionSaved(Server.History.SessionRecord session) => SessionsChanged.Set();
}
