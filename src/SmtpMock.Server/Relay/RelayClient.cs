using MailKit.Security;
using MimeKit;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Relay;

/// <summary>What a relay made of a message: whether it took it, the dialog line by line, and what to do when it did not.</summary>
internal sealed record RelayOutcome(bool Accepted, IReadOnlyList<string> Lines)
{
    /// <summary>What would fix a failure that has a known fix (a certificate to trust, say), or null.</summary>
    public string? Hint { get; init; }
}

/// <summary>
/// Sends a captured message on to a relay as it came (MailKit, the dialog recorded line by line): the release of the
/// HTTP API, and any server feature that passes mail on. Content a relay cannot carry unchanged is not sent, and the
/// dialog says why.
/// </summary>
internal static class RelayClient
{
    /// <summary>True when the relay took the message (for at least one recipient); the lines say what each step answered.</summary>
    public static async Task<RelayOutcome> SendAsync(RelayTarget relay, MailboxAddress sender, IReadOnlyList<MailboxAddress> to, CapturedMessage message, CancellationToken cancellationToken)
    {
        ContentLimits limits;
        await using (var content = message.OpenContent())
        {
            limits = ContentLimits.Of(content);
        }

        // A copy: MailKit prepares the message it sends for the relay, and the kept one must stay as it came. Written
        // out and read back from the parsed message, so one kept without headers (parsed leniently) goes too.
        using var written = new MemoryStream();
        await message.Message.WriteToAsync(written, cancellationToken).ConfigureAwait(false);
        written.Position = 0;
        var copy = await MimeMessage.LoadAsync(written, cancellationToken).ConfigureAwait(false);

        using var client = new DialogSmtpClient { LocalDomain = "smtpmock", ServerCertificateValidationCallback = RelayTrust.For(relay) };
        string? hint = null;
        var accepted = await client.RunAsync(
            async c =>
            {
                try
                {
                    await c.ConnectAsync(relay.Host, relay.Port, Security(relay), cancellationToken).ConfigureAwait(false);
                }
                catch (SslHandshakeException)
                {
                    hint = "the relay's certificate is not trusted here: start smtpmock with --relay-ca FILE (the relay's certificate or its CA, as PEM) to trust it, or --relay-insecure to accept any certificate";
                    throw;
                }

                if (relay.User is { } user)
                {
                    await c.AuthenticateAsync(user, relay.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
                }

                if (limits.Problem(c.Capabilities) is { } problem)
                {
                    hint = $"not sent: {problem}";
                    throw new NotSentException(hint);
                }

                await c.SendAsync(copy, sender, to, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return new RelayOutcome(accepted, client.Lines) { Hint = accepted ? null : hint };
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

/// <summary>The dialog stopped before the message went: the content cannot cross this relay unchanged.</summary>
internal sealed class NotSentException(string message) : Exception(message);
