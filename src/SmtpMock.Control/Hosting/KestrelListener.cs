using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Hosting;

/// <summary>
/// What every HTTP listener of a server shares (the control plane, a compatible API on its own port): Kestrel on the
/// slim builder with the server's descriptor share and the body limits, started, its address read back, stopped.
/// </summary>
internal static class KestrelListener
{
    /// <summary>A builder listening on <paramref name="endPoint"/> with the limits of <paramref name="options"/>.</summary>
    public static WebApplicationBuilder Create(SmtpMockServer server, IPEndPoint endPoint, ControlOptions options)
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

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(endPoint);
            // A share of the file descriptors (DescriptorBudget): HTTP clients can never starve SMTP of them.
            k.Limits.MaxConcurrentConnections = server.Descriptors.HttpConnections;
            k.Limits.MaxConcurrentUpgradedConnections = server.Descriptors.HttpConnections;
            k.Limits.MaxRequestBodySize = options.MaxRequestBody;
            k.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(240, options.SlowBodyGrace);
        });
        builder.WebHost.UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true");
        return builder;
    }

    /// <summary>Starts <paramref name="app"/> and returns its address; disposes <paramref name="owner"/> and rethrows when it cannot listen.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, IAsyncDisposable owner, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await owner.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Every-interface addresses read as localhost: a browser will not open http://0.0.0.0/ (Chrome refuses it),
        // and localhost is what a Docker user types on the host side of -p 8025:8025.
        return new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("//0.0.0.0:", "//localhost:", StringComparison.Ordinal) + "/");
    }

    /// <summary>Stops within two seconds (open event streams are cut), then disposes.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await app.StopAsync(deadline.Token).ConfigureAwait(false);
        }

        await app.DisposeAsync().ConfigureAwait(false);
    }
}
