using System.IO.Pipelines;
using System.Text;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Security;
using SmtpMock.Server.Session;

namespace SmtpMock.Fuzz;

/// <summary>
/// STARTTLS without a handshake, as the server tests' fake does it: the plaintext pipes are ended, and what the client
/// sent in later reads than STARTTLS's becomes the "encrypted" input (what came in the same read is dropped unread,
/// CVE-2011-0411). A client that sent nothing more fails the handshake, as one that closes does. Oracles: the upgrade
/// comes right after a 220 and at most once; which messages were captured before it is kept for the TLS oracles.
/// </summary>
internal sealed class FuzzTls(ScriptedPipeReader plain, MemoryStream output, MemoryMessageStore store) : ITlsUpgrader
{
    public static readonly TlsHandshake Handshake = TlsHandshake.Made("TLSv1.3", "TLS_AES_256_GCM_SHA384");

    public PipeWriter? Output { get; private set; }

    /// <summary>The ids of the messages captured in plaintext (null: no upgrade was asked for).</summary>
    public HashSet<string>? CapturedBefore { get; private set; }

    public async Task<TlsConnection> StartTlsAsync(PipeReader plainInput, PipeWriter plainOutput, TimeSpan timeout, bool oldProtocols, CancellationToken shutdown)
    {
        if (CapturedBefore is not null)
        {
            throw new OracleViolation("a second TLS upgrade in one session");
        }

        var later = plain.Undelivered;
        CapturedBefore = [.. store.Messages.Select(m => m.Id)];
        await plainInput.CompleteAsync();
        await plainOutput.CompleteAsync();
        var written = Encoding.UTF8.GetString(output.ToArray());
        var last = written.TrimEnd('\r', '\n');
        last = last[(last.LastIndexOf('\n') + 1)..];
        if (!last.StartsWith("220 ", StringComparison.Ordinal))
        {
            throw new OracleViolation($"TLS started after '{last}', not after a 220 to STARTTLS");
        }

        if (later.Count == 0)
        {
            return new TlsConnection(TlsHandshake.Failed("the client closed before its ClientHello"), null, null, null);
        }

        Output = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        return new TlsConnection(Handshake, null, new ScriptedPipeReader(later), Output);
    }
}
