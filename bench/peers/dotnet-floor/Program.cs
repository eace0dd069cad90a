// dotnet-floor PORT [--pipes]: a minimal SMTP sink on .NET sockets, the floor SmtpMock is compared with in
// bench/compare.sh. It answers every command with a fixed reply (EHLO advertises PIPELINING), discards message
// content, keeps nothing and logs nothing: what remains is the cost of the runtime's socket layer. Loopback only.
// --pipes: the same sink over SmtpMock's transport (NetworkStream, StreamPipeReader and StreamPipeWriter with
// SmtpMock's pipe options), which measures what that transport costs over bare Socket calls (PipeSink.cs).
using System.Net;
using System.Net.Sockets;

if (args.Length is < 1 or > 2 || !int.TryParse(args[0], out var port) || port is < 1 or > 65535 || (args.Length == 2 && args[1] != "--pipes"))
{
    Console.Error.WriteLine("usage: dotnet-floor PORT [--pipes] (listens on 127.0.0.1)");
    return 2;
}

var pipes = args.Length == 2;

// As SmtpMock does: socket continuations run on the epoll thread, with no thread-pool hop per reply.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
// And on half the cores' epoll threads (at least one), as SmtpMock's CLI sets it: the same runtime tuning for all.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", Math.Max(1, Environment.ProcessorCount / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
listener.Listen(1000);
Console.WriteLine($"dotnet-floor listening on 127.0.0.1:{port}{(pipes ? " (over pipes)" : "")}");
while (true)
{
    var socket = await listener.AcceptAsync();
    socket.NoDelay = true;
    _ = pipes ? PipeSink.RunAsync(socket) : Sink.RunAsync(socket);
}

internal static class Sink
{
    internal static readonly byte[] Greeting = "220 floor.test ESMTP dotnet-floor\r\n"u8.ToArray();
    private static readonly byte[] Ehlo = "250-floor.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n"u8.ToArray();
    private static readonly byte[] Ok = "250 2.0.0 OK\r\n"u8.ToArray();
    private static readonly byte[] StartData = "354 End data with <CR><LF>.<CR><LF>\r\n"u8.ToArray();
    private static readonly byte[] Bye = "221 2.0.0 Bye\r\n"u8.ToArray();

    public static async Task RunAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await SessionAsync(socket);
            }
            catch (SocketException)
            {
                // The client left.
            }
        }
    }

    private static async Task SessionAsync(Socket socket)
    {
        var input = new byte[8192];
        var output = new byte[4096];
        int start = 0, end = 0;
        var inData = false;
        await socket.SendAsync(Greeting);
        while (true)
        {
            if (end == input.Length)
            {
                if (start == 0)
                {
                    start = end = 0; // a line longer than the buffer: discard it, this is a sink
                }
                else
                {
                    Buffer.BlockCopy(input, start, input, 0, end - start);
                    end -= start;
                    start = 0;
                }
            }

            var read = await socket.ReceiveAsync(input.AsMemory(end));
            if (read == 0)
            {
                return;
            }

            end += read;
            var written = 0;
            var quit = false;
            int newline;
            while (!quit && (newline = Array.IndexOf(input, (byte)'\n', start, end - start)) >= 0)
            {
                var line = input.AsSpan(start, newline + 1 - start);
                start = newline + 1;
                var reply = Reply(line, ref inData, ref quit);
                if (reply is not null)
                {
                    if (written + reply.Length > output.Length)
                    {
                        await socket.SendAsync(output.AsMemory(0, written));
                        written = 0;
                    }

                    reply.CopyTo(output, written);
                    written += reply.Length;
                }
            }

            if (start == end)
            {
                start = end = 0;
            }

            if (written > 0)
            {
                await socket.SendAsync(output.AsMemory(0, written));
            }

            if (quit)
            {
                socket.Shutdown(SocketShutdown.Both);
                return;
            }
        }
    }

    /// <summary>The fixed reply to one line (null inside DATA), shared with <see cref="PipeSink"/>.</summary>
    internal static byte[]? Reply(ReadOnlySpan<byte> line, ref bool inData, ref bool quit)
    {
        if (inData)
        {
            inData = !line.SequenceEqual(".\r\n"u8);
            return inData ? null : Ok;
        }

        var verb = line.Length >= 4 ? (line[0] | 0x20) << 24 | (line[1] | 0x20) << 16 | (line[2] | 0x20) << 8 | (line[3] | 0x20) : 0;
        var reply = verb switch
        {
            0x65686c6f => Ehlo,                      // ehlo
            0x64617461 => StartData,                 // data
            0x71756974 => Bye,                       // quit
            _ => Ok,
        };
        inData = reply == StartData;
        quit = reply == Bye;
        return reply;
    }
}
