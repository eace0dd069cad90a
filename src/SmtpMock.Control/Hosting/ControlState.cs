using System.Runtime.CompilerServices;
using SmtpMock.Control.Api;
using SmtpMock.Control.Events;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Control.Hosting;

/// <summary>What every endpoint shares: the server, the options, the wait signals, the event hub and scenario texts.</summary>
internal sealed class ControlState : IDisposable
{
    private readonly ConditionalWeakTable<Scenario, string> _yaml = [];

    public ControlState(SmtpMockServer server, ControlOptions options, Microsoft.Extensions.Logging.ILogger logger)
    {
        Server = server;
        Options = options;
        Logger = logger;
        Events = new EventHub(server, options.EventBuffer);
        server.Messages.Captured += OnCaptured;
        server.SessionEnded += OnSessionEnded;
    }

    public SmtpMockServer Server { get; }

    public ControlOptions Options { get; }

    /// <summary>The HTTP side's own log lines (a release, say), on the server's console.</summary>
    public Microsoft.Extensions.Logging.ILogger Logger { get; }

    public ChangeSignal MessagesChanged { get; } = new();

    public ChangeSignal SessionsChanged { get; } = new();

    public EventHub Events { get; }

    /// <summary>When the scenario was last reset: the retries view starts there.</summary>
    public DateTimeOffset ClientsSince { get; set; } = DateTimeOffset.MinValue;

    public void RememberYaml(Scenario scenario, string yaml) => _yaml.AddOrUpdate(scenario, yaml);

    /// <summary>The text a scenario came from: what was PUT, or its file as it is now.</summary>
    public string? YamlOf(Scenario scenario)
    {
        if (_yaml.TryGetValue(scenario, out var text))
        {
            return text;
        }

        try
        {
            return scenario.SourcePath is { } path ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        Server.Messages.Captured -= OnCaptured;
        Server.SessionEnded -= OnSessionEnded;
        Events.Dispose();
    }

    private void OnCaptured(Server.Capture.CapturedMessage message) => MessagesChanged.Set();

    private void OnSessionEnded(Server.Session.SessionContext session) => SessionsChanged.Set();
}
