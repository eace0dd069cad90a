using System.CommandLine;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Cli.Commands.Health;

internal static class HealthAction
{
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        var host = parse.GetValue(HealthCommand.Host)!;
        var port = parse.GetValue(HealthCommand.Port);
        var seconds = parse.GetValue(HealthCommand.Timeout);
        if (string.IsNullOrWhiteSpace(host))
        {
            // TcpClient throws ArgumentException for "" (an unset variable in a script): a stack trace, not a line.
            await error.WriteLineAsync("smtpmock: --host is empty: give a host name or address, e.g. 127.0.0.1 (see smtpmock health --help)").ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            var greeting = await GreetingAsync(host, port, deadline.Token).ConfigureAwait(false);
            if (greeting is null || !greeting.StartsWith("220 ", StringComparison.Ordinal))
            {
                await error.WriteLineAsync($"smtpmock: unhealthy: {host}:{port} greeted with '{greeting ?? "(connection closed)"}', not 220").ConfigureAwait(false);
                return 1;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync($"healthy: {greeting}").ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"smtpmock: unhealthy: no 220 greeting from {host}:{port} within {seconds} s").ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            await error.WriteLineAsync($"smtpmock: unhealthy: cannot talk to {host}:{port}: {e.Message}").ConfigureAwait(false);
        }

        return 1;
    }

    /// <summary>The greeting's last line (a multi-line greeting is 220-... then 220 ...), after which QUIT is sent.</summary>
    private static async Task<string?> GreetingAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        string? line;
        do
        {
            line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        while (line is not null && line.Length > 3 && line[3] == '-');

        if (line is not null && line.StartsWith("220 ", StringComparison.Ordinal))
        {
            // A polite goodbye, so the server logs a clean session; its 221 is read but not required.
            await stream.WriteAsync("QUIT\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }

        return line;
    }
}
