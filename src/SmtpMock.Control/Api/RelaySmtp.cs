using MailKit.Security;
using MimeKit;
using SmtpMock.Control.Hosting;

namespace SmtpMock.Control.Api;

/// <summary>Sends a captured message on to the configured relay, the dialog recorded line by line.</summary>
internal static class RelaySmtp
{
    /// <summary>True when the relay took the message (for at least one recipient); the lines say what each step answered.</summary>
    public static async Task<(bool Accepted, IReadOnlyList<string> Lines)> SendAsync(RelayTarget relay, MailboxAddress sender, IReadOnlyList<MailboxAddress> to, MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new DialogSmtpClient { LocalDomain = "smtpmock" };
        if (relay.AcceptAnyCertificate)
        {
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        }

        var accepted = await client.RunAsync(
            async c =>
            {
                await c.ConnectAsync(relay.Host, relay.Port, Security(relay), cancellationToken).ConfigureAwait(false);
                if (relay.User is { } user)
                {
                    await c.AuthenticateAsync(user, relay.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
                }

                await c.SendAsync(message, sender, to, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return (accepted, client.Lines);
    }

    /// <summary>
    /// TLS on connect for 465; otherwise STARTTLS when offered, and required when there is a login to send (a password
    /// never crosses in clear), unless the relay is a test server taken as it is (<see cref="RelayTarget.AcceptAnyCertificate"/>).
    /// </summary>
    private static SecureSocketOptions Security(RelayTarget relay) =>
        relay.Port == 465 ? SecureSocketOptions.SslOnConnect
        : relay.User is not null && !relay.AcceptAnyCertificate ? SecureSocketOptions.StartTls
        : SecureSocketOptions.StartTlsWhenAvailable;
}
