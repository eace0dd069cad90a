using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Security;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Tests.Harness;

/// <summary>
/// STARTTLS without sockets: ends the plaintext pipes as the real upgrade does, then "encrypts" by handing the
/// session a new scripted input (what the client sends after the handshake) and a new writer on the same output.
/// </summary>
internal sealed class FakeTls(IEnumerable<byte[]> secureInput, Stream output, bool fail = false) : ITlsUpgrader
{
    public static readonly TlsHandshake Handshake = TlsHandshake.Made("TLSv1.3", "TLS_AES_256_GCM_SHA384");

    public int Upgrades { get; private set; }

    public PipeWriter? Output { get; private set; }

    public async Task<TlsConnection> StartTlsAsync(PipeReader plainInput, PipeWriter plainOutput, TimeSpan timeout, bool oldProtocols, CancellationToken shutdown)
    {
        Upgrades++;
        await plainInput.CompleteAsync();
        await plainOutput.CompleteAsync();
        if (fail)
        {
            return new TlsConnection(TlsHandshake.Failed("garbage instead of a ClientHello"), null, null, null);
        }

        Output = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        return new TlsConnection(Handshake, null, new ScriptedPipeReader(secureInput), Output);
    }
}

/// <summary>Drives a session that goes through STARTTLS: the plaintext part, then what follows the handshake.</summary>
internal static class SecureDriver
{
    public static async Task<(DriveResult Result, FakeTls Tls)> RunAsync(string plain, string secure, SmtpServerOptions? options = null, Split split = Split.Whole, bool failHandshake = false, SessionRules? rules = null)
    {
        options ??= SessionDriver.Options();
        var store = new MemoryMessageStore(options.MaxStoredMessages, options.MaxStoredBytes);
        var buffer = new CountingStream();
        var output = PipeWriter.Create(buffer, new StreamPipeWriterOptions(leaveOpen: true));
        var tls = new FakeTls(Splitter.Cut(Splitter.Bytes(secure), split), buffer, failHandshake);
        var (session, _) = SessionFactory.Create(options, rules, store, 1, new IPEndPoint(IPAddress.Loopback, 40000), NullLogger.Instance, tls: tls);
        await session.RunAsync(new ScriptedPipeReader(Splitter.Cut(Splitter.Bytes(plain), split)), output, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        if (tls.Output is not null)
        {
            await tls.Output.FlushAsync();
        }

        var result = new DriveResult(Encoding.UTF8.GetString(buffer.ToArray()), session.Context, store) { Writes = buffer.Writes };
        ReplyOracle.AssertWellFormed(result.Output);
        return (result, tls);
    }

    /// <summary>The EHLO reply lines (without the code) in the order the EHLOs were answered.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> EhloReplies(DriveResult result)
    {
        var replies = new List<IReadOnlyList<string>>();
        List<string>? current = null;
        foreach (var line in result.Lines)
        {
            if (line.StartsWith("250-", StringComparison.Ordinal) && line.Contains(" greets ", StringComparison.Ordinal))
            {
                current = [];
                replies.Add(current);
                continue;
            }

            if (current is not null && line.StartsWith("250", StringComparison.Ordinal))
            {
                current.Add(line[4..]);
                if (line[3] == ' ')
                {
                    current = null;
                }
            }
        }

        return replies;
    }
}
