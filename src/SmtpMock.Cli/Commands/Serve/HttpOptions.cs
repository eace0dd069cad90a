using System.CommandLine;
using System.Net;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// serve's HTTP options (the control API, events, metrics and the web page) and the start of the HTTP side, which
/// happens after the SMTP listener is accepting: the greeting never waits for Kestrel.
/// </summary>
internal static class HttpOptions
{
    public const string TokenVariable = "SMTPMOCK_API_TOKEN";

    public static readonly Option<int> Port = OptionParsers.Port("--http-port", "HTTP API and web page port (0 picks a free one)", 8025);
    public static readonly Option<string> Host = new("--http-host") { Description = "HTTP address or local host name (0.0.0.0 exposes it, e.g. in Docker)", HelpName = "ADDRESS", DefaultValueFactory = _ => "127.0.0.1" };
    public static readonly Option<bool> NoHttp = new("--no-http") { Description = "Serve SMTP only: no HTTP API, events, metrics or page" };
    public static readonly Option<string?> Token = new("--api-token") { Description = $"Require Authorization: Bearer TOKEN on the API and /metrics (or set {TokenVariable})", HelpName = "TOKEN" };
    public static readonly Option<string[]> AllowedHost = new("--http-allowed-host") { Description = "A host name the HTTP side answers to besides IP addresses and localhost (repeatable; *.example.test for a domain), e.g. a Docker service name", HelpName = "NAME" };
    public static readonly Option<long> MaxBody = OptionParsers.Number("--http-max-body", "OCTETS", "Largest HTTP request body; a larger one gets 413 before it is read (default: --max-message-size's value)", new SmtpServerOptions().MaxMessageSize, 1, long.MaxValue);
    public static readonly Option<int> MaxEventStreams = OptionParsers.Number("--max-event-streams", "N", "Event streams (/api/v1/events) open at once; one more gets 503", 100, 1, 100_000);

    public static void AddTo(Command command)
    {
        foreach (var option in new Option[] { Port, Host, NoHttp, Token, AllowedHost, MaxBody, MaxEventStreams })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The HTTP side's options, or null with <paramref name="error"/> (a usage error) when a value is wrong; null and no error with --no-http.</summary>
    public static ControlOptions? Read(ParseResult parse, out string? error)
    {
        error = null;
        if (parse.GetValue(NoHttp))
        {
            return null;
        }

        // As --host: an address, or a name of this machine such as localhost.
        var problems = new List<string>();
        if (ServeOptions.Resolve("--http-host", parse.GetValue(Host)!, problems) is not { } address)
        {
            error = $"smtpmock: {problems[0]}";
            return null;
        }

        var port = parse.GetValue(Port);
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable(TokenVariable);
        var named = parse.GetValue(Host)!;
        var hosts = new List<string>();
        foreach (var host in parse.GetValue(AllowedHost) ?? [])
        {
            if (!IsHostPattern(host))
            {
                error = $"smtpmock: --http-allowed-host '{host}' is not a host name (e.g. --http-allowed-host smtpmock, or *.example.test for a domain)";
                return null;
            }

            hosts.Add(host);
        }

        if (!IPAddress.TryParse(named, out _))
        {
            // --http-host given as a name (localhost, this machine's name): requests that use it are this server's own.
            hosts.Add(named);
        }

        return new ControlOptions
        {
            EndPoint = new IPEndPoint(address, port),
            ApiToken = string.IsNullOrEmpty(token) ? null : token,
            AllowedHosts = hosts,
            MaxRequestBody = parse.GetResult(MaxBody) is { Implicit: false } ? parse.GetValue(MaxBody) : parse.GetValue(ServeCommand.MaxMessageSize),
            MaxEventStreams = parse.GetValue(MaxEventStreams),
        };
    }

    /// <summary>Starts the HTTP side and prints its address; null (after one <c>smtpmock:</c> line) when it cannot listen.</summary>
    public static async Task<ControlServer?> StartAsync(ParseResult parse, ControlOptions options, SmtpMockServer server, Microsoft.Extensions.Logging.ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            var control = await ControlServer.StartAsync(server, options, loggers, cancellationToken).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"HTTP API and web page on {control.BaseAddress}").ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync(SecuritySummary.Http(options)).ConfigureAwait(false);
            if (options.Relay is { } relay)
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync($"Messages can be released to {relay} (the page's Release, or POST /api/v1/messages/ID/release)").ConfigureAwait(false);
            }

            return control;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // 8025 is also Mailpit's page: the likeliest owner of the port on a machine that tries SmtpMock.
            var why = SocketError(e) switch
            {
                System.Net.Sockets.SocketError.AddressAlreadyInUse => "address already in use (is Mailpit or another smtpmock running? pick another --http-port, 0 for a free one, or --no-http)",
                System.Net.Sockets.SocketError.AddressNotAvailable => "no such address on this machine (pick another --http-host, e.g. 127.0.0.1 or 0.0.0.0)",
                _ => $"{e.Message} (pick another with --http-port, 0 for a free one, or --no-http)",
            };
            await parse.InvocationConfiguration.Error.WriteLineAsync($"smtpmock: cannot serve HTTP on {options.EndPoint}: {why}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>A host name, or <c>*.</c> and a domain: letters, digits, dots, hyphens and underscores.</summary>
    private static bool IsHostPattern(string text)
    {
        var name = text.StartsWith("*.", StringComparison.Ordinal) ? text[2..] : text;
        return name.Length is > 0 and <= 253 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') && !name.StartsWith('.') && !name.EndsWith('.');
    }

    /// <summary>Kestrel wraps the socket error twice ("Failed to bind to address ...: address already in use.").</summary>
    private static System.Net.Sockets.SocketError? SocketError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }
}
