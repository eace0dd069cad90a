using System.IO.Pipelines;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// How a connection's pipes read and write, plain or over TLS. Zero-byte reads: an idle connection holds no
/// buffer until data arrives (docs/performance.md: idle connections). Segments of 16 KiB: a 100 KiB message takes
/// about 7 receive calls instead of 25 with 4 KiB segments; a command still reads into the segment's free space.
/// </summary>
internal static class PipeShape
{
    public static readonly StreamPipeReaderOptions Reader =
        new(bufferSize: 16 * 1024, minimumReadSize: 2048, leaveOpen: true, useZeroByteReads: true);

    public static readonly StreamPipeWriterOptions Writer = new(leaveOpen: true);
}
