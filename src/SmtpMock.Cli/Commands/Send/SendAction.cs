using System.CommandLine;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SmtpMock.Cli.Commands.Send;

/// <summary>Sends one message with MailKit: exit 0 when the server accepted it, 1 when refused or unreachable.</summary>
internal static class SendAction
{
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var (message, problem) = SendMessageBuilder.Build(parse);
        var port = parse.GetValue(SendCommand.Port);
        var timeout = parse.GetValue(SendCommand.Timeout);
        var host = parse.GetValue(SendCommand.Host);
        problem ??= string.IsNullOrWhiteSpace(host) ? "--host is empty: give a host name or address, e.g. 127.0.0.1"
            : SendSecurity.Problem(parse);
        if (problem is not null || message is null)
        {
            await error.WriteLineAsync($"smtpmock: {problem} (see smtpmock send --help)").ConfigureAwait(false);
            return SmtpMockCli.UsageError;
        }

        var sender = MailboxAddress.Parse(parse.GetValue(SendCommand.From)!);
        var recipients = parse.GetValue(SendCommand.To)!.Select(MailboxAddress.Parse).ToList();
        using var client = new SmtpClient(new ServerReplyPrinter(output)) { Timeout = timeout * 1000 };
        client.ServerCertificateValidationCallback = SendSecurity.CertificateCheck(parse);
        try
        {
            await client.ConnectAsync(host!, port, SendSecurity.Socket(parse), cancellationToken).ConfigureAwait(false);
            if (client.IsSecure)
            {
                await output.WriteLineAsync($"-- TLS: {client.SslProtocol} {client.SslCipherSuite}").ConfigureAwait(false);
            }

            if (parse.GetValue(SendCommand.User) is { } user)
            {
                await client.AuthenticateAsync(user, parse.GetValue(SendCommand.Password) ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(message, sender, recipients, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (SmtpCommandException e)
        {
            var what = e.ErrorCode switch
            {
                SmtpErrorCode.SenderNotAccepted => $"sender {e.Mailbox} refused",
                SmtpErrorCode.RecipientNotAccepted => $"recipient {e.Mailbox} refused",
                SmtpErrorCode.MessageNotAccepted => "message refused",
                _ => "refused",
            };
            await error.WriteLineAsync($"smtpmock: {what}: {(int)e.StatusCode} {e.Message}").ConfigureAwait(false);
            await QuitAsync(client).ConfigureAwait(false);
        }
        catch (AuthenticationException e)
        {
            await error.WriteLineAsync($"smtpmock: login refused: {e.Message}").ConfigureAwait(false);
        }
        catch (SslHandshakeException e) when (e.ServerCertificate is null && parse.GetValue(SendCommand.Tls))
        {
            // No certificate came back: the port speaks plaintext (its 220 greeting is not a TLS record).
            await error.WriteLineAsync($"smtpmock: TLS handshake failed: {host}:{port} did not answer in TLS (--tls is for the server's --tls-port; on its SMTP port use --starttls)").ConfigureAwait(false);
        }
        catch (SslHandshakeException e)
        {
            await error.WriteLineAsync($"smtpmock: TLS handshake failed: {OneLine(e.Message)} (--trust-cert FILE or --insecure for a mock's own certificate)").ConfigureAwait(false);
        }
        catch (NotSupportedException e)
        {
            // MailKit: STARTTLS or AUTH asked for, but the server does not advertise it.
            await error.WriteLineAsync($"smtpmock: {e.Message}").ConfigureAwait(false);
        }
        catch (SmtpProtocolException e)
        {
            await error.WriteLineAsync($"smtpmock: the server broke the protocol or closed the connection: {e.Message}").ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            await error.WriteLineAsync($"smtpmock: cannot connect to {host}:{port}: {e.Message} (is the server running?)").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or ServiceNotConnectedException)
        {
            await error.WriteLineAsync($"smtpmock: connection to {host}:{port} failed: {e.Message}").ConfigureAwait(false);
        }

        return 1;
    }

    /// <summary>
    /// After a refusal the session is still usable: end it with QUIT as a polite client does, so the server logs
    /// QUIT rather than "client closed the connection". Best effort: the exit code is already decided.
    /// </summary>
    private static async Task QuitAsync(SmtpClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException)
        {
            // The server went away meanwhile: nothing left to close politely.
        }
    }

    /// <summary>MailKit's certificate errors come as an indented list: one line for the console.</summary>
    private static string OneLine(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.TrimStart('•', ' ')));
}
