using System.Net.Sockets;
using System.Text;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// The mirror of a slow writer: a client that pipelines commands and never reads the replies. Once the socket
/// buffers are full the server cannot write, so it stops reading too; the per-command deadline must still end the
/// session, or such clients hold their connection (and a slot under the cap) forever.
/// </summary>
[TestFixture]
public sealed class SlowReaderTests
{
    [Test]
    public async Task A_client_that_never_reads_its_replies_is_cut_at_the_command_deadline()
    {
        // A real but short deadline: what is awaited is the session's end, with the test's own deadline.
        await using var server = await TestServer.StartAsync(o => o with { CommandTimeout = TimeSpan.FromSeconds(1) });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        using var stop = new CancellationTokenSource();
        Task<long>? writer = null;
        try
        {
            using (var timeout = TestServer.Timeout())
            {
                await socket.ConnectAsync(server.EndPoint, timeout.Token);
                await socket.SendAsync("EHLO never-reads.test\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
            }

            writer = FloodAsync(socket, stop.Token);

            await server.AssertBystanderServedAsync("beside-non-reader");
            var session = await server.WaitForSessionAsync(1, "never-reads.test");
            Assert.That(session.EndReason, Is.EqualTo("command timeout"));
            Assert.That(server.ActiveSessions, Is.Zero);
            await server.AssertBystanderServedAsync("after-non-reader");
        }
        finally
        {
            await stop.CancelAsync();
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
            if (writer is not null)
            {
                TestContext.Out.WriteLine($"{await writer} octets of NOOPs written without reading a reply");
            }
        }
    }

    [Test]
    public async Task A_client_that_resets_while_the_server_is_blocked_writing_to_it_frees_its_slot()
    {
        // One slot: if the reset session is not accounted as ended, nobody is ever served again.
        await using var server = await TestServer.StartAsync(o => o with { MaxConnections = 1 });
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        try
        {
            using var timeout = TestServer.Timeout();
            await socket.ConnectAsync(server.EndPoint, timeout.Token);

            // 60000 HELPs: a few hundred KB of commands, some 8 MB of replies, more than the socket buffers hold
            // (4 MiB send buffer at most, 8 KiB receive buffer here), so the server ends up blocked writing.
            var burst = Encoding.ASCII.GetBytes("EHLO blocked.test\r\n" + string.Concat(Enumerable.Repeat("HELP\r\n", 60_000)));
            for (var sent = 0; sent < burst.Length;)
            {
                sent += await socket.SendAsync(burst.AsMemory(sent), SocketFlags.None, timeout.Token);
            }

            // Read the first replies: the server is writing, and stays stuck once the buffers are full.
            var first = new byte[256];
            var read = 0;
            for (var i = 0; i < 100 && read < first.Length; i++)
            {
                var n = await socket.ReceiveAsync(first.AsMemory(read), SocketFlags.None, timeout.Token);
                Assert.That(n, Is.Positive, "the server closed the connection");
                read += n;
            }

            Assert.That(Encoding.ASCII.GetString(first), Does.StartWith("220 "));
        }
        finally
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }

        var session = await server.WaitForSessionAsync(1, "blocked.test");
        Assert.That(session.EndReason, Does.StartWith("connection lost"));
        Assert.That(server.ActiveSessions, Is.Zero, "the slot is free again");
        await server.AssertBystanderServedAsync("after-blocked-reset");
    }

    /// <summary>Writes NOOPs (at most 64 MiB of them) until the socket blocks for good and the test cancels.</summary>
    private static async Task<long> FloodAsync(Socket socket, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("NOOP\r\n", 10_000)));
        long sent = 0;
        try
        {
            while (sent < 64L * 1024 * 1024)
            {
                var rest = block.AsMemory();
                while (!rest.IsEmpty)
                {
                    var n = await socket.SendAsync(rest, SocketFlags.None, cancellationToken);
                    rest = rest[n..];
                    sent += n;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cancelled by the test, or the server closed the connection.
        }

        return sent;
    }
}
