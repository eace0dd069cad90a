using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SmtpMock.Control.Api;
using SmtpMock.Control.Events;
using SmtpMock.Control.Model;
using SmtpMock.Control.Web;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Hosting;

/// <summary>
/// The HTTP side of a running <see cref="SmtpMockServer"/>: the API under /api/v1, /healthz, /metrics and the web page,
/// on Kestrel (slim builder, no reflection). It only reads and steers the server; the server never waits for it.
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ControlState _state;
    private readonly PrometheusExporter _metrics;

    private ControlServer(WebApplication app, ControlState state, PrometheusExporter metrics)
    {
        _app = app;
        _state = state;
        _metrics = metrics;
    }

    /// <summary>Where the API listens, with the real port when port 0 was asked for.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Binds and starts serving; throws <see cref="IOException"/> when the address is in use.</summary>
    public static async Task<ControlServer> StartAsync(SmtpMockServer server, ControlOptions options, CancellationToken cancellationToken = default) =>
        await StartAsync(server, options, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Binds and starts serving, its own log lines (releases) going to <paramref name="loggers"/>.</summary>
    public static async Task<ControlServer> StartAsync(SmtpMockServer server, ControlOptions options, ILoggerFactory? loggers, CancellationToken cancellationToken = default)
    {
        var app = KestrelApp.Create(server, options.EndPoint, options);

        var state = new ControlState(server, options, (loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("SmtpMock.Http"));
        var metrics = new PrometheusExporter(server.Metrics);
        var gate = new RequestGate(options);
        app.Use(gate.BeforeRoutingAsync);
        app.UseRouting();
        app.Use(gate.AfterRoutingAsync);

        app.MapGet("/healthz", () => TypedResults.Ok(new Health("ok", SmtpServerOptions.Version, server.EndPoint.Port, server.ActiveSessions, options.Relay is not null)))
            .WithMetadata(OpenEndpoint.Instance);
        app.MapGet("/metrics", () => TypedResults.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));

        var api = app.MapGroup("/api/v1");
        new MessagesApi(state).Map(api);
        new SessionsApi(state).Map(api);
        new ScenarioApi(state).Map(api);
        new EventsApi(state).Map(api);
        new SendApi(state).Map(api);
        new ReleaseApi(state).Map(api);
        new ClientsApi(state).Map(api);
        new TlsApi(server).Map(api);
        api.Map("/{**rest}", (HttpRequest request) => Problems.NotFound($"no endpoint {request.Method} {request.Path}: see docs/api.md"));
        StaticFiles.Map(app);

        var control = new ControlServer(app, state, metrics);
        control.BaseAddress = await KestrelApp.StartAsync(app, control, cancellationToken).ConfigureAwait(false);
        if (System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeCompiled)
        {
            // Only a JIT-run process opens assemblies as it goes; the Native AOT binary has all of it loaded, and the
            // requests would only take CPU from the first SMTP client while the process starts. Awaited: the port is
            // announced once they are done, so no client can reach a path still to be loaded.
            await WarmUpAsync(control.BaseAddress, "/healthz", "\r\n\r\n").ConfigureAwait(false);
            await WarmUpAsync(control.BaseAddress, "/api/v1/events", ": connected").ConfigureAwait(false);
        }

        return control;
    }

    /// <summary>
    /// One request to <paramref name="path"/> over a plain socket right after the start, read until
    /// <paramref name="until"/> (or the end): a JIT-run process loads Kestrel's request path and the event stream's
    /// lazily, and a flood that first reaches them with every descriptor taken (700 event streams under
    /// <c>ulimit -n 600</c>) left the runtime unable to open what it needed, and it aborted ("Out of memory"). Loaded
    /// before any client comes, it never has to. At most 5 s; a failure is ignored.
    /// </summary>
    private static async Task WarmUpAsync(Uri baseAddress, string path, string until)
    {
        try
        {
            var address = System.Net.IPAddress.TryParse(baseAddress.Host.Trim('[', ']'), out var ip) && !ip.Equals(System.Net.IPAddress.Any) && !ip.Equals(System.Net.IPAddress.IPv6Any)
                ? ip
                : System.Net.IPAddress.Loopback;
            using var socket = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(address, baseAddress.Port, deadline.Token).ConfigureAwait(false);
            await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), System.Net.Sockets.SocketFlags.None, deadline.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            var seen = new System.Text.StringBuilder();
            int read;
            while (!seen.ToString().Contains(until, StringComparison.Ordinal)
                && (read = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, deadline.Token).ConfigureAwait(false)) > 0)
            {
                // Read until the response (or the stream's first line) is through: its whole path has run.
                seen.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Only a warm-up: the first real request loads the same code.
        }
    }

    /// <summary>The port Kestrel listens on.</summary>
    public int Port => BaseAddress.Port;

    public async ValueTask DisposeAsync()
    {
        _state.Dispose();
        await KestrelApp.StopAsync(_app).ConfigureAwait(false);
        _metrics.Dispose();
    }
}
