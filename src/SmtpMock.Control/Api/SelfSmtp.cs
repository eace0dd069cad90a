using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SmtpMock.Control.Api;

/// <summary>
/// The send form's client: MailKit over a socket connected here (its local port names the session it makes), every
/// line in and out recorded (<see cref="DialogRecorder"/>), a refused recipient not stopping the others, and QUIT
/// after a refusal so the session ends as a polite client's would.
/// </summary>
internal static class SelfSmtp
{
    public static async Task<(EndPoint? Local, IReadOnlyList<string> Lines)> SendAsync(IPEndPoint target, string from, string[] to, MimeMessage message, CancellationToken cancellationToken)
    {
        var recorder = new DialogRecorder();
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var client = new PageSmtpClient(recorder) { LocalDomain = "smtpmock-page" };
        EndPoint? local = null;
        try
        {
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            local = socket.LocalEndPoint;
            await client.ConnectAsync(socket, target.Address.ToString(), target.Port, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
            await client.SendAsync(message, MailboxAddress.Parse(from), to.Select(MailboxAddress.Parse), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or SocketException or OperationCanceledException)
        {
            // The refusal itself is in the recorded lines; a lost connection is said in one line of its own.
            if (e is not SmtpCommandException)
            {
                recorder.Note(e.Message);
            }
        }

        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or SocketException or OperationCanceledException)
            {
                recorder.Note(e.Message);
            }
        }

        return (local, recorder.Lines);
    }

    /// <summary>Goes on past a refused recipient (the form shows every reply); stops only when none was accepted.</summary>
    private sealed class PageSmtpClient(IProtocolLogger logger) : SmtpClient(logger)
    {
        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
        }

        protected override void OnNoRecipientsAccepted(MimeMessage message) =>
            throw new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no recipient was accepted");
    }
}
