using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SmtpMock.Control.Api;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>
/// MailHog's HTTP API (v1.0.1) on a port of its own (<c>--mailhog-port</c>), so helpers written for MailHog
/// (cypress-mailhog, the <c>mailhog</c> npm client) work by changing one base URL. Its own Kestrel listener: our
/// <c>/api/v1/messages</c> and MailHog's have different bodies. It reads the same store and steers the same scenario
/// host as the main HTTP side, behind the same gate (Host names, other origins, the token).
/// </summary>
public sealed class MailHogServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MailHogEventsApi _events;

    private MailHogServer(WebApplication app, MailHogEventsApi events)
    {
        _app = app;
        _events = events;
    }

    /// <summary>Where MailHog's API listens, with the real port when port 0 was asked for.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Binds and starts serving; throws <see cref="IOException"/> when the address is in use.</summary>
    public static async Task<MailHogServer> StartAsync(SmtpMockServer server, MailHogOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        var app = KestrelApp.Create(server, options.EndPoint, options.Http);

        var gate = new RequestGate(options.Http);
        app.Use(gate.BeforeRoutingAsync);
        app.UseRouting();
        app.Use(gate.AfterRoutingAsync);

        new MailHogMessagesApi(server).Map(app);
        new MailHogPartsApi(server).Map(app);
        new MailHogReleaseApi(server, options.Http.Relay).Map(app);
        new JimApi(server, options.Seed).Map(app);
        var events = new MailHogEventsApi(server, new SemaphoreSlim(options.Http.MaxEventStreams, options.Http.MaxEventStreams), options.Http.EventBuffer);
        events.Map(app);
        app.MapGet("/", new RequestDelegate(context => MailHogHome.WriteAsync(context, options.Page))).WithMetadata(OpenEndpoint.Instance);
        app.Map("/{**rest}", new RequestDelegate(context => Http.NotFound(context, $"no endpoint {context.Request.Method} {context.Request.Path} in SmtpMock's MailHog API: see docs/migrating.md")));

        var mailhog = new MailHogServer(app, events);
        mailhog.BaseAddress = await KestrelApp.StartAsync(app, mailhog, cancellationToken).ConfigureAwait(false);
        return mailhog;
    }

    /// <summary>The port Kestrel listens on.</summary>
    public int Port => BaseAddress.Port;

    public async ValueTask DisposeAsync()
    {
        await KestrelApp.StopAsync(_app).ConfigureAwait(false);
        _events.Dispose();
    }
}
