using System.CommandLine;
using System.Globalization;
using SmtpMock.Control.Compat.MailHog;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Hosting;
using ControlMailHogOptions = SmtpMock.Control.Compat.MailHog.MailHogOptions;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// serve's <c>--mailhog-port</c>: MailHog's API on a port of its own (docs/migrating.md), on the <c>--http-host</c>
/// address, following the HTTP side's token, allowed hosts and relay; and <c>--seed</c>, which makes the draws of
/// the scenario MailHog's Jim becomes repeat run after run.
/// </summary>
internal static class MailHogOptions
{
    public static readonly Option<int?> Port = OptionParsers.OptionalPort("--mailhog-port", "Also serve MailHog's API (v1, v2, events, Jim) on this port, for MailHog clients (0 picks a free one)");

    public static Option<int?> Seed => SeedOption.Seed;


    public static void AddTo(Command command)
    {
        command.Options.Add(Port);
    }

    /// <summary>
    /// Starts MailHog's API when <c>--mailhog-port</c> was given and prints its address. Null when it was not asked
    /// for (Failed false) or could not listen (Failed true, after one
    /// <c>smtpmock:</c> line).
    /// </summary>
    public static async Task<(MailHogServer? Server, bool Failed)> StartAsync(ParseResult parse, ControlOptions? http, ControlServer? control, SmtpMockServer server, CancellationToken cancellationToken)
    {
        if (parse.GetValue(Port) is not { } port)
        {
            return (null, false);
        }

        var shared = http ?? new ControlOptions();
        var options = new ControlMailHogOptions
        {
            EndPoint = new System.Net.IPEndPoint(shared.EndPoint.Address, port),
            Http = shared,
            Seed = parse.GetValue(Seed),
            Page = control?.BaseAddress,
        };
        try
        {
            var mailhog = await MailHogServer.StartAsync(server, options, cancellationToken).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"MailHog API on {mailhog.BaseAddress}").ConfigureAwait(false);
            return (mailhog, false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"smtpmock: cannot serve MailHog's API on {options.EndPoint}: {e.Message} (pick another --mailhog-port, 0 for a free one)").ConfigureAwait(false);
            return (null, true);
        }
    }
}
