using System.CommandLine;
using System.Globalization;
using System.Net;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// <c>--listen PORT=SCENARIO</c> (repeatable): extra SMTP ports on the <c>--host</c> address, each running a loaded
/// scenario for every session on it while the main port keeps the active one, so tests sharing one server each connect
/// where their failure lives. The scenario must be loaded (<c>--scenario</c> file or folder) or the server does not start.
/// </summary>
internal static class ListenOption
{
    public static readonly Option<string[]> Listen = new("--listen")
    {
        Description = "Also listen on PORT, where every session runs the loaded scenario SCENARIO (repeatable)",
        HelpName = "PORT=SCENARIO",
    };

    /// <summary>The options with the extra ports, or a problem to print.</summary>
    public static (SmtpServerOptions Options, string? Problem) Apply(ParseResult parse, SmtpServerOptions options)
    {
        var listeners = new List<ScenarioListener>();
        foreach (var text in parse.GetValue(Listen) ?? [])
        {
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == text.Length - 1
                || !int.TryParse(text.AsSpan(0, eq), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
            {
                return (options, $"--listen '{text}' is not PORT=SCENARIO (e.g. --listen 2526=mailbox-full)");
            }

            if (port != 0 && (port == options.EndPoint.Port || port == options.ImplicitTlsPort || listeners.Any(l => l.EndPoint.Port == port)))
            {
                return (options, $"--listen '{text}': port {port} is already taken by another of smtpmock's ports");
            }

            listeners.Add(new ScenarioListener(new IPEndPoint(options.EndPoint.Address, port), text[(eq + 1)..]));
        }

        return (listeners.Count == 0 ? options : options with { ScenarioListeners = listeners }, null);
    }
}
