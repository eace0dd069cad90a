using System.Net;
using System.Net.Sockets;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Server.Hosting;

/// <summary>The extra ports of <see cref="SmtpServerOptions.ScenarioListeners"/>, each running its own loaded scenario.</summary>
public sealed partial class SmtpMockServer
{
    private readonly List<(Socket Listener, Task Loop)> _scenarioPorts = [];

    /// <summary>Where each <see cref="SmtpServerOptions.ScenarioListeners"/> port listens (real ports when 0 was asked for), in their order.</summary>
    public IReadOnlyList<IPEndPoint> ScenarioEndPoints => [.. _scenarioPorts.Select(p => (IPEndPoint)p.Listener.LocalEndPoint!)];

    /// <summary>A port for a scenario no file loaded is a mistake at start, not a surprise in a test later.</summary>
    private void CheckScenarioListeners()
    {
        var missing = _options.ScenarioListeners.Where(l => !Scenarios.IsLoaded(l.Scenario)).Select(l => $"{l.EndPoint.Port}={l.Scenario}").ToList();
        if (missing.Count > 0)
        {
            var loaded = Scenarios.Loaded.Count == 0 ? "no scenario files are loaded" : "the loaded ones are: " + string.Join(", ", Scenarios.Loaded.Select(s => s.Name));
            throw new ScenarioException($"no scenario for port {string.Join(", ", missing)}; {loaded}");
        }
    }

    private void StartScenarioListeners()
    {
        foreach (var port in _options.ScenarioListeners)
        {
            var listener = ServerSockets.Listen(port.EndPoint);
            _scenarioPorts.Add((listener, AcceptLoopAsync(listener, implicitTls: false, port)));
        }
    }

    private async Task StopScenarioListenersAsync()
    {
        foreach (var (listener, _) in _scenarioPorts)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_scenarioPorts.Select(p => p.Loop)).ConfigureAwait(false);
    }
}
