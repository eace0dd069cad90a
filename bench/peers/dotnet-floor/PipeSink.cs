using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using SmtpMock.Server.Hosting;

/// <summary>
/// The floor's sink over SmtpMock's transport: a NetworkStream read by a StreamPipeReader and written by a
/// StreamPipeWriter, with SmtpMock's own pipe options (its PipeShape.cs, compiled in here) and a
/// per-session deadline token re-armed per read and passed to every read and flush, as SmtpMock's session does.
/// The same replies as <see cref="Sink"/>: the difference between the two is what the transport costs.
/// </summary>
internal static class PipeSink
{
    public static async Task RunAsync(Socket socket)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        var input = PipeReader.Create(stream, PipeShape.Reader);
        var output = PipeWriter.Create(stream, PipeShape.Writer);
        using var deadline = new CancellationTokenSource();
        try
        {
            await SessionAsync(input, output, deadline);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The client left.
        }
        finally
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already gone.
            }

            socket.Dispose();
            await input.CompleteAsync();
            await output.CompleteAsync();
            await stream.DisposeAsync();
        }
    }

    private static async Task SessionAsync(PipeReader input, PipeWriter output, CancellationTokenSource deadline)
    {
        output.Write(Sink.Greeting);
        await output.FlushAsync(deadline.Token);
        var inData = false;
        var quit = false;
        while (!quit)
        {
            deadline.CancelAfter(TimeSpan.FromMinutes(5));
            var result = await input.ReadAsync(deadline.Token);
            var buffer = result.Buffer;
            var wrote = false;
            while (!quit && buffer.PositionOf((byte)'\n') is { } newline)
            {
                var end = buffer.GetPosition(1, newline);
                var line = buffer.Slice(0, end);
                buffer = buffer.Slice(end);
                var reply = Sink.Reply(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), ref inData, ref quit);
                if (reply is not null)
                {
                    output.Write(reply);
                    wrote = true;
                }
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (wrote)
            {
                await output.FlushAsync(deadline.Token);
            }

            if (result.IsCompleted)
            {
                return;
            }
        }
    }
}
