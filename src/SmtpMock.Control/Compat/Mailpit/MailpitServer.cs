using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>
/// Mailpit's HTTP API (v1.30.5) at the root of its own port (<c>--mailpit-port</c>), so helpers written for Mailpit
/// (mailpit-api, cypress-mailpit, pytest-mailpit, Testcontainers) work by changing one base URL. It reads and steers the
/// same server as the control API; its chaos becomes the active scenario <c>mailpit-chaos</c>.
/// </summary>
public sealed class MailpitServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MailpitState _state;

    private MailpitServer(WebApplication app, MailpitState state)
    {
        _app = app;
        _state = state;
    }

    /// <summary>Where it listens, with the real port when port 0 was asked for.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// Binds and starts serving. <paramref name="control"/> gives what the control API also obeys: the relay a release
    /// goes to, the host names it answers to and the largest request body.
    /// </summary>
    public static async Task<MailpitServer> StartAsync(SmtpMockServer server, ControlOptions control, MailpitOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(options);
        var app = KestrelApp.Create(server, options.EndPoint, control);
        var state = new MailpitState(server, control, options, (loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("SmtpMock.Mailpit"));

        // The Host check and the error net of the control API; no bearer token: Mailpit's clients do not send one.
        app.Use(new RequestGate(control).BeforeRoutingAsync);
        app.UseRouting();
        new MailpitMessagesApi(state).Map(app);
        new MailpitMessageApi(state).Map(app);
        new MailpitTagsApi(state).Map(app);
        new MailpitSendApi(state).Map(app);
        new MailpitReleaseApi(state).Map(app);
        new MailpitChaosApi(state).Map(app);
        new MailpitAppApi(state).Map(app);
        app.Map("/{**rest}", new RequestDelegate(MailpitReplies.NotFound));

        var mailpit = new MailpitServer(app, state);
        mailpit.BaseAddress = await KestrelApp.StartAsync(app, mailpit, cancellationToken).ConfigureAwait(false);
        return mailpit;
    }

    /// <summary>The port it listens on.</summary>
    public int Port => BaseAddress.Port;

    public async ValueTask DisposeAsync()
    {
        _state.Dispose();
        await KestrelApp.StopAsync(_app).ConfigureAwait(false);
    }
}
