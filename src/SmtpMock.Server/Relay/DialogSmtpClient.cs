using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace SmtpMock.Server.Relay;

/// <summary>
/// MailKit's client as the send form and a release need it: every line recorded by its <see cref="DialogRecorder"/>,
/// a refused recipient not stopping the others (the dialog shows each reply), a stop only when none was accepted,
/// and QUIT after a refusal so the server's session ends as a polite client's would.
/// </summary>
internal sealed class DialogSmtpClient : SmtpClient
{
    private readonly DialogRecorder _recorder;

    public DialogSmtpClient()
        : this(new DialogRecorder())
    {
    }

    private DialogSmtpClient(DialogRecorder recorder)
        : base(recorder) => _recorder = recorder;

    /// <summary>The dialog so far: <c>C:</c> and <c>S:</c> lines, notes with <c>--</c>.</summary>
    public IReadOnlyList<string> Lines => _recorder.Lines;

    /// <summary>
    /// Runs <paramref name="dialog"/> (connect, log in, send): true when it finished. What ends it early (a refusal,
    /// a lost connection, a timeout) is noted in the lines; QUIT follows either way while connected.
    /// </summary>
    public async Task<bool> RunAsync(Func<DialogSmtpClient, Task> dialog, CancellationToken cancellationToken)
    {
        var finished = false;
        try
        {
            await dialog(this).ConfigureAwait(false);
            finished = true;
        }
        catch (Exception e) when (Ends(e))
        {
            _recorder.NoteUnlessRefusal(e);
        }

        await QuitAsync(cancellationToken).ConfigureAwait(false);
        return finished;
    }

    /// <summary>
    /// What ends a dialog without being a bug: a refusal, a broken dialog, a lost connection, a timeout, or an extension
    /// the server does not offer (MailKit's NotSupportedException: a login for a relay without AUTH).
    /// </summary>
    private static bool Ends(Exception e) =>
        e is SmtpCommandException or SmtpProtocolException or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException
            or IOException or SocketException or OperationCanceledException or ServiceNotConnectedException or NotSupportedException or NotSentException;

    /// <summary>QUIT if still connected; a failure there is noted, not thrown.</summary>
    private async Task QuitAsync(CancellationToken cancellationToken)
    {
        if (!IsConnected)
        {
            return;
        }

        try
        {
            await DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Ends(e))
        {
            _recorder.NoteUnlessRefusal(e);
        }
    }

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
    }

    protected override void OnNoRecipientsAccepted(MimeMessage message) =>
        throw new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no recipient was accepted");
}
