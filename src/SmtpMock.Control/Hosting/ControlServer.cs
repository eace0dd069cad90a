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
        return control;
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
