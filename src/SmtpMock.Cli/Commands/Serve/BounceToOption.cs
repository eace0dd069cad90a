using System.CommandLine;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Relay;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// <c>--bounce-to HOST:PORT</c>: the bounces, auto-replies and complaints smtpmock generates after accepting a message
/// (<c>bounce@smtpmock.test</c>, <c>after:</c> rules) are also delivered to the application's own inbound SMTP server,
/// so its bounce processing runs end to end. The target is a test server taken as it is: STARTTLS when offered, any
/// certificate accepted; a failed delivery is logged and never touches the session that triggered it.
/// </summary>
internal static class BounceToOption
{
    public static readonly Option<string?> BounceTo = new("--bounce-to")
    {
        Description = "Also deliver the bounces, auto-replies and complaints smtpmock generates to this SMTP server (your app's inbound mail; port 25 unless given)",
        HelpName = "HOST[:PORT]",
    };

    /// <summary>The options with the target, or a problem to print.</summary>
    public static (SmtpServerOptions Options, string? Problem) Apply(ParseResult parse, SmtpServerOptions options)
    {
        if (parse.GetValue(BounceTo) is not { } text)
        {
            return (options, null);
        }

        return RelayOptions.Parse(text) is var (host, port)
            ? (options with { BounceTo = new RelayTarget(host, port) { AcceptAnyCertificate = true } }, null)
            : (options, $"--bounce-to '{text}' is not HOST or HOST:PORT (e.g. --bounce-to localhost:2526, --bounce-to [::1]:25)");
    }
}
