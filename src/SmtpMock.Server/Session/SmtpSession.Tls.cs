using System.IO.Pipelines;

namespace SmtpMock.Server.Session;

/// <summary>STARTTLS (RFC 3207 §4.2): after the 220 the session drops buffered plaintext, handshakes and starts over.</summary>
internal sealed partial class SmtpSession
{
    /// <summary>
    /// Flushes the 220, hands the pipes to the upgrader and continues on the encrypted ones with the session back to
    /// just-connected. <paramref name="discarded"/> octets followed STARTTLS in the plaintext buffer: they are dropped
    /// unread (CVE-2011-0411). Returns null when the handshake failed (the session ends; no reply is possible).
    /// </summary>
    private async ValueTask<(PipeReader Input, PipeWriter Output)?> StartTlsAsync(
        PipeReader input, PipeWriter output, long discarded, SessionDeadline deadline, CancellationToken shutdown)
    {
        await _output.FlushAsync(deadline.Token).ConfigureAwait(false);
        if (discarded > 0)
        {
            Note($"{discarded} plaintext octets sent after STARTTLS discarded unread (RFC 3207 §4.2)");
        }

        if (_faults.Tls == TlsFault.Fail)
        {
            await _faults.BreakTlsAsync(output, deadline.Token).ConfigureAwait(false);
            End("TLS handshake broken on purpose (tls: fail)");
            return null;
        }

        // The handshake has its own bound (the command timeout); the session's clock waits for it.
        deadline.Pause();
        var tls = await _tls!.StartTlsAsync(input, output, _options.CommandTimeout, _faults.Tls == TlsFault.Old, shutdown).ConfigureAwait(false);
        if (!tls.Handshake.Succeeded || tls.Input is null || tls.Output is null)
        {
            Note(tls.Handshake.ToString());
            End("TLS handshake failed");
            return null;
        }

        _dialog.TlsStarted(tls.Handshake);
        _output.Attach(tls.Output);
        deadline.Arm(data: false);
        return (tls.Input, tls.Output);
    }

    /// <summary>The connection is on TLS from its first byte (the implicit TLS port): recorded before the greeting.</summary>
    public void BeginOverTls(Security.TlsHandshake handshake)
    {
        Context.Tls = handshake;
        Note($"TLS started on connect: {handshake}");
        _events.Tls(handshake);
    }

    /// <summary>A session that never reached its greeting (a failed handshake on the TLS port): noted and ended.</summary>
    public void EndBeforeGreeting(string note, string reason)
    {
        Note(note);
        End(reason);
        Context.EndedAt = _options.TimeProvider.GetUtcNow();
    }
}
