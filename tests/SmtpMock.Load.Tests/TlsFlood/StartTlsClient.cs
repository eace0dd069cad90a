using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Load.Tests.TlsFlood;

/// <summary>The two kinds of STARTTLS client of the flood: one that stalls after its ClientHello, one that completes.</summary>
internal static class StartTlsClient
{
    /// <summary>Greeting, EHLO, STARTTLS and its 220: the connection is then the TLS client's.</summary>
    public static async Task<RawConnection> UpToStartTlsAsync(IPEndPoint server, string name)
    {
        var connection = await RawConnection.ConnectAsync(server);
        try
        {
            Assert.That(await connection.ReadReplyAsync(), Does.StartWith("220 "), "greeting");
            await connection.CommandAsync($"EHLO {name}", "250 ");
            await connection.CommandAsync("STARTTLS", "220 2.0.0");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="hello"/> (a whole ClientHello or its first octets) and then nothing: reads what the
    /// server sends (its ServerHello and the rest of its flight, for a whole one) until it closes the connection.
    /// Returns how long after the stall that was.
    /// </summary>
    public static async Task<TimeSpan> StallAsync(RawConnection connection, ReadOnlyMemory<byte> hello, TimeSpan limit)
    {
        await connection.SendAsync(hello);
        var clock = Stopwatch.StartNew();
        await connection.ReadUntilClosedAsync(limit);
        return clock.Elapsed;
    }

    /// <summary>A whole handshake (the server's certificate checked), then EHLO and QUIT over TLS; returns the handshake's time.</summary>
    public static async Task<TimeSpan> CompleteAsync(IPEndPoint server, TestCertificate certificate, int number)
    {
        using var connection = await UpToStartTlsAsync(server, $"tls{number}.test");
        await using var tls = new SslStream(new NetworkStream(connection.Socket, ownsSocket: false), leaveInnerStreamOpen: false, (_, presented, _, _) => certificate.IsIt(presented));
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(WireClient.Deadline);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
        var handshake = clock.Elapsed;
        using var reader = new StreamReader(tls, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        await tls.WriteAsync("EHLO secure.test\r\n"u8.ToArray(), timeout.Token);
        Assert.That(await LastLineAsync(reader, timeout.Token), Does.StartWith("250 "), "EHLO over TLS");
        await tls.WriteAsync("QUIT\r\n"u8.ToArray(), timeout.Token);
        Assert.That(await LastLineAsync(reader, timeout.Token), Does.StartWith("221 "), "QUIT over TLS");
        return handshake;
    }

    private static async Task<string> LastLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100; i++)
        {
            var line = await reader.ReadLineAsync(cancellationToken) ?? throw new AssertionException("the server closed the TLS connection mid-reply");
            if (line.Length < 4 || line[3] == ' ')
            {
                return line;
            }
        }

        throw new AssertionException("a reply of more than 100 lines");
    }
}
