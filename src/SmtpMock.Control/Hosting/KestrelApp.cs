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
/// One Kestrel application as every HTTP listener of SmtpMock wants it (the control API, the Mailpit-compatible API):
/// the slim builder, no file watching, quiet logs, the server's share of descriptors and the body limits.
/// </summary>
internal static class KestrelApp
{
    public static WebApplication Create(SmtpMockServer server, IPEndPoint endPoint, ControlOptions options)
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
        // Typed results are written with the source-generated contexts (no reflection: Native AOT), and every problem
        // answer, ours or the framework's, goes through one problem details writer.
        builder.Services.ConfigureHttpJsonOptions(json => Api.ControlJson.Configure(json.SerializerOptions));
        builder.Services.AddProblemDetails();
        return builder.Build();
    }

    /// <summary>
    /// Where a started application listens. Every-interface addresses read as localhost: a browser will not open
    /// http://0.0.0.0/ (Chrome refuses it), and localhost is what a Docker user types on the host side of -p 8025:8025.
    /// </summary>
    public static Uri AddressOf(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("//0.0.0.0:", "//localhost:", StringComparison.Ordinal) + "/");
    }

    /// <summary>Starts the application and returns where it listens; if it cannot listen, <paramref name="undo"/> runs and the error is thrown.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, IAsyncDisposable undo, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await undo.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return AddressOf(app);
    }

    /// <summary>Stops serving (open requests get two seconds) and releases the application.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await app.StopAsync(deadline.Token).ConfigureAwait(false);
        }

        await app.DisposeAsync().ConfigureAwait(false);
    }
}
