using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SmtpMock.Engines.Tests.Harness;

namespace SmtpMock.Engines.Tests.Redis;

/// <summary>
/// A throw-away Redis on a free loopback port: no persistence (no RDB snapshots, no AOF), no Unix socket, its
/// working folder a temporary one. Killed and started again it comes back empty, as a Redis without persistence
/// does after a crash: what the product must survive.
/// </summary>
internal sealed class RedisEngine : Engine
{
    private static readonly byte[] Ping = "PING\r\n"u8.ToArray();

    private RedisEngine(int port)
        : base("redis", port)
    {
    }

    /// <summary>What <c>smtpmock serve --state</c> takes.</summary>
    public string Uri => $"redis://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The same place as a StackExchange.Redis configuration string.</summary>
    public string Configuration => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    protected override string Package => "redis-server";

    public static Task<RedisEngine> StartAsync() => StartNewAsync(new RedisEngine(FreePort.Next()));

    protected override ProcessStartInfo CommandLine()
    {
        // No config file, so Debian's /etc/redis/redis.conf (port 6379, a pid file, a log file) is not read.
        var start = new ProcessStartInfo("redis-server") { WorkingDirectory = Folder };
        string[] arguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--unixsocket", "",
            "--daemonize", "no",
            "--dir", Folder,
            "--logfile", "",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>PING over a plain socket answers +PONG once Redis serves commands (it answers -LOADING before).</summary>
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return false;
        }

        var stream = client.GetStream();
        await stream.WriteAsync(Ping, cancellationToken).ConfigureAwait(false);
        var reply = new byte[64];
        var read = await stream.ReadAsync(reply, cancellationToken).ConfigureAwait(false);
        return Encoding.ASCII.GetString(reply, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }
}
