using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmtpMock.Control.Api;
using SmtpMock.Control.Events;
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
        // No file watching. By default the builder takes the working directory as its content root and watches it,
        // subdirectories included, to reload appsettings.json: every file written anywhere below the folder smtpmock
        // was started in (a build, a test run, a log) woke the server, about 10 us of CPU each, and a large tree
        // spends inotify watches. SmtpMock reads no appsettings.json; its content root is its own folder.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ApplicationName = "SmtpMock.Control",
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Kestrel's own logs stay quiet: a bind failure is reported by the caller in one line, not a stack trace.
        builder.Logging.ClearProviders();

        builder.WebHost.ConfigureKestrel(k => k.Listen(options.EndPoint));
        builder.WebHost.UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true");
        var app = builder.Build();

        var state = new ControlState(server, options, (loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("SmtpMock.Http"));
        var metrics = new PrometheusExporter(server.Metrics);
        app.Use(new Gate(options.ApiToken).InvokeAsync);

        app.MapGet("/healthz", new RequestDelegate(context => Http.Json(
            context, new Health("ok", SmtpServerOptions.Version, server.EndPoint.Port, server.ActiveSessions, options.Relay is not null), ControlJson.Readable.Health)));
        app.MapGet("/metrics", new RequestDelegate(async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await context.Response.WriteAsync(metrics.Render(), context.RequestAborted).ConfigureAwait(false);
        }));

        var api = app.MapGroup("/api/v1");
        new MessagesApi(state).Map(api);
        new SessionsApi(state).Map(api);
        new ScenarioApi(state).Map(api);
        new EventsApi(state).Map(api);
        new SendApi(state).Map(api);
        new ReleaseApi(state).Map(api);
        new ClientsApi(state).Map(api);
        new TlsApi(server).Map(api);
        api.Map("/{**rest}", new RequestDelegate(context => Http.NotFound(context, $"no endpoint {context.Request.Method} {context.Request.Path}: see docs/api.md")));
        StaticFiles.Map(app);

        var control = new ControlServer(app, state, metrics);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await control.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Every-interface addresses read as localhost: a browser will not open http://0.0.0.0/ (Chrome refuses it),
        // and localhost is what a Docker user types on the host side of -p 8025:8025.
        control.BaseAddress = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("//0.0.0.0:", "//localhost:", StringComparison.Ordinal) + "/");
        return control;
    }

    /// <summary>The port Kestrel listens on.</summary>
    public int Port => BaseAddress.Port;

    public async ValueTask DisposeAsync()
    {
        _state.Dispose();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(deadline.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }

    /// <summary>Bearer token (when one is set) and the security headers on every response.</summary>
    private sealed class Gate(string? token)
    {
        // style-src allows inline styles for one reason: a message's HTML is shown in a sandboxed srcdoc frame, which
        // inherits this policy, and mail is styled inline. The page itself builds no HTML from data (text nodes
        // only), scripts stay 'self', and with default-src 'none' no style can fetch anything to leak data through.
        private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

        public async Task InvokeAsync(HttpContext context, RequestDelegate next)
        {
            Secure(context.Response);
            if (FromAnotherOrigin(context.Request))
            {
                await Http.Problem(context, StatusCodes.Status403Forbidden, "Forbidden", "a page from another origin may not change this server (release, delete, send, scenarios): use the SmtpMock page, a test or a tool such as curl").ConfigureAwait(false);
                return;
            }

            if (token is not null && !Open(context.Request.Path) && !Authorized(context.Request))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Http.Problem(context, StatusCodes.Status401Unauthorized, "Unauthorized", "send Authorization: Bearer <token> (the --api-token or SMTPMOCK_API_TOKEN value)").ConfigureAwait(false);
                return;
            }

            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
            {
                // A bug in one request: a problem+json answer, never a dead server or an HTML error page.
                context.Response.Clear();
                Secure(context.Response);
                await Http.Problem(context, StatusCodes.Status500InternalServerError, "Internal error", e.Message).ConfigureAwait(false);
            }
        }

        private static void Secure(HttpResponse response)
        {
            response.Headers.ContentSecurityPolicy = Policy;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
        }

        /// <summary>
        /// A browser on another site (any page the user opens) may send a simple POST here without asking: a request
        /// that changes something and carries an Origin that is not this server's is refused. Tools and tests send no
        /// Origin; the page's own requests carry this server's.
        /// </summary>
        private static bool FromAnotherOrigin(HttpRequest request) =>
            !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && request.Headers.Origin.ToString() is { Length: > 0 } origin
            && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));

        /// <summary>The health probe and the page's own files (which hold no data; the page asks for the token).</summary>
        private static bool Open(PathString path) => path == "/healthz" || !path.StartsWithSegments("/api") && path != "/metrics";

        private bool Authorized(HttpRequest request)
        {
            var given = request.Headers.Authorization.ToString();
            if (given.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                given = given["Bearer ".Length..].Trim();
            }
            else if (request.Path.StartsWithSegments("/api/v1/events") && request.Query.TryGetValue("access_token", out var query))
            {
                // EventSource cannot send headers.
                given = query.ToString();
            }
            else
            {
                return false;
            }

            return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(token!));
        }
    }
}
