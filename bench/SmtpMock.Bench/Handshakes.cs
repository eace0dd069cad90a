using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SmtpMock.Server.Security;

namespace SmtpMock.Bench;

/// <summary>
/// What TLS costs a session, one connection after another from one client: a plain session (banner, EHLO, QUIT), the
/// same with STARTTLS and a second EHLO over TLS, and, as the reference, a bare SslStream handshake against a minimal
/// server in this process with the same kind of certificate (ECDSA P-256). Prints connections per second for each and
/// the ratio of a STARTTLS session to the bare handshake; with <c>--pid</c> the server's CPU per connection too.
/// </summary>
internal static class Handshakes
{
    public static async Task<string> RunAsync(IPEndPoint server, int connections, int? pid, TimeSpan limit, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limit);
        var plain = await MeasureAsync(connections, pid, () => SessionAsync(server, startTls: false, deadline.Token)).ConfigureAwait(false);
        var tls = await MeasureAsync(connections, pid, () => SessionAsync(server, startTls: true, deadline.Token)).ConfigureAwait(false);
        var bare = await BareHandshakesAsync(connections, deadline.Token).ConfigureAwait(false);
        return FormattableString.Invariant(
            $"handshakes connections={connections} plain_conns_per_s={plain.PerSecond:0.0} starttls_conns_per_s={tls.PerSecond:0.0} bare_sslstream_conns_per_s={bare:0.0} ") +
            FormattableString.Invariant($"starttls_vs_bare_time={bare / tls.PerSecond:0.00} ") +
            (pid is null ? string.Empty : FormattableString.Invariant($"server_cpu_us_per_plain_conn={plain.CpuMicros:0.0} server_cpu_us_per_starttls_conn={tls.CpuMicros:0.0} ")) +
            $"timed_out={(deadline.IsCancellationRequested ? 1 : 0)}";
    }

    private static async Task<(double PerSecond, double CpuMicros)> MeasureAsync(int connections, int? pid, Func<Task> session)
    {
        await session().ConfigureAwait(false); // warm-up, unmeasured
        var cpu = pid is { } p ? ProcStats.CpuSeconds(p) : null;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < connections; i++)
        {
            await session().ConfigureAwait(false);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var used = pid is { } q && cpu is { } before && ProcStats.CpuSeconds(q) is { } after ? (after - before) * 1e6 / connections : 0;
        return (connections / seconds, used);
    }

    private static async Task SessionAsync(IPEndPoint server, bool startTls, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, ct).ConfigureAwait(false);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        await ExpectAsync(stream, "220", ct).ConfigureAwait(false);
        await SayAsync(stream, "EHLO bench.test", "250", ct).ConfigureAwait(false);
        if (startTls)
        {
            await SayAsync(stream, "STARTTLS", "220", ct).ConfigureAwait(false);
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, ct).ConfigureAwait(false);
            stream = ssl;
            await SayAsync(stream, "EHLO bench.test", "250", ct).ConfigureAwait(false);
        }

        await SayAsync(stream, "QUIT", "221", ct).ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The reference: a TLS handshake and one byte each way against SslStream alone.</summary>
    private static async Task<double> BareHandshakesAsync(int connections, CancellationToken ct)
    {
        using var certificate = TlsCertificates.Generate("localhost");
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        var serving = Task.Run(async () =>
        {
            for (var i = 0; i <= connections; i++)
            {
                using var accepted = await listener.AcceptAsync(ct).ConfigureAwait(false);
                await using var ssl = new SslStream(new NetworkStream(accepted, ownsSocket: false));
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, ct).ConfigureAwait(false);
                var one = new byte[1];
                _ = await ssl.ReadAsync(one, ct).ConfigureAwait(false);
                await ssl.WriteAsync(one, ct).ConfigureAwait(false);
            }
        }, ct);
        var (perSecond, _) = await MeasureAsync(connections, null, async () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endPoint, ct).ConfigureAwait(false);
            await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), false, (_, _, _, _) => true);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, ct).ConfigureAwait(false);
            await ssl.WriteAsync("x"u8.ToArray(), ct).ConfigureAwait(false);
            _ = await ssl.ReadAsync(new byte[1], ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await serving.ConfigureAwait(false);
        return perSecond;
    }

    private static async Task SayAsync(Stream stream, string command, string code, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), ct).ConfigureAwait(false);
        await ExpectAsync(stream, code, ct).ConfigureAwait(false);
    }

    /// <summary>Reads one whole reply (every line up to the one with a space after the code).</summary>
    private static async Task ExpectAsync(Stream stream, string code, CancellationToken ct)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, ct).ConfigureAwait(false) == 0)
            {
                throw new SmtpBenchException($"connection closed waiting for {code}");
            }

            if (one[0] != '\n')
            {
                line.Append((char)one[0]);
                continue;
            }

            var text = line.ToString().TrimEnd('\r');
            line.Clear();
            if (!text.StartsWith(code, StringComparison.Ordinal))
            {
                throw new SmtpBenchException($"expected {code}, got '{text}'");
            }

            if (text.Length < 4 || text[3] == ' ')
            {
                return;
            }
        }
    }
}
