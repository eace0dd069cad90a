using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace SmtpMock.Server.Session;

/// <summary>
/// The network faults a rule asks of one session (<c>then: hang</c>, <c>then: reset</c>, <c>throttle:</c>,
/// <c>fragment:</c>, <c>tls:</c>): remembered when the rule fires, carried out where the session reaches them. A hang
/// or a throttle holds only its own session, and both wait on the session's deadline, which the server's shutdown
/// cancels: neither can keep a socket or the server's stop waiting.
/// </summary>
internal sealed class SessionFaults(SessionContext context, ReplyOutput output, SessionEvents events)
{
    /// <summary>What a broken STARTTLS sends after its 220: no TLS record starts with 'S' (0x53), so every client stops at it.</summary>
    private static readonly byte[] Garbage = Encoding.ASCII.GetBytes("SmtpMock: this is not a TLS handshake (tls: fail)\r\n");

    /// <summary>The session hangs once its last reply is out.</summary>
    public bool Hang { get; private set; }

    /// <summary>How the STARTTLS handshake about to start goes wrong, if it does.</summary>
    public TlsFault Tls { get; private set; }

    /// <summary>Before a rule's reply goes out: pacing starts with it, and a STARTTLS 220 may carry a broken handshake.</summary>
    public void BeforeReply(Intervention? rule, SessionEffect effect)
    {
        if (rule is null)
        {
            return;
        }

        if (rule.Throttle is not null || rule.Fragment)
        {
            output.Pace(rule.Throttle, rule.Fragment);
        }

        if (rule.Tls != TlsFault.None && effect == SessionEffect.StartTls)
        {
            Tls = rule.Tls;
        }
    }

    /// <summary>A rule ended the dialog: with a hang the session reads on after its last reply, with a reset the socket goes with an RST.</summary>
    public void Ending(Intervention? rule)
    {
        if (rule is null)
        {
            return;
        }

        Hang |= rule.Hang;
        context.ResetOnClose |= rule.Reset;
    }

    /// <summary>
    /// Reads and discards whatever the client sends, answering nothing, until it closes, the data timeout runs out (once,
    /// from the start of the hang: what the client sends does not extend it) or the server stops. Memory stays at one
    /// read: everything read is consumed at once.
    /// </summary>
    public async ValueTask HangAsync(PipeReader input, SessionDeadline deadline)
    {
        events.Note("hanging: what the client sends is read and ignored; no reply, no close, until it closes or the data timeout");
        deadline.ArmOnce();
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    events.Note("the client closed the connection during the hang");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            events.Note(deadline.Fired ? "the data timeout ended the hang; the connection closes without a reply" : "the server's stop ended the hang");
        }
    }

    /// <summary><c>tls: fail</c>: after the 220, garbage in place of the server's handshake, then the session ends.</summary>
    public async ValueTask BreakTlsAsync(PipeWriter plain, CancellationToken cancellationToken)
    {
        events.Note("tls: fail: garbage sent in place of the TLS handshake, then the connection closes");
        plain.Write(Garbage);
        await plain.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
