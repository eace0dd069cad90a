using System.Buffers;
using SmtpMock.Protocol.Framing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Session;

/// <summary>What the end of DATA says about the content, for the verdict and the transcript.</summary>
internal readonly record struct DataSummary(long Size, bool SizeExceeded, bool LineTooLong, int BareLineEndings, bool BareLineEndingsRefused, int BareLfDotLines);

/// <summary>
/// Message content on its way in: DATA through the <see cref="DataReader"/> (dot-unstuffing, smuggling-proof end,
/// limits) and BDAT chunks counted to the exact octet (RFC 3030: a refused chunk is still consumed). What is kept
/// goes to the store's own <see cref="IMessageWriter"/> (pooled memory, a spool file on the store's disk).
/// <para>
/// The reader and the content are made on the first DATA or BDAT: a session that never sends a message (an idle
/// connection, a probe, one that only says EHLO and QUIT) does not hold them (docs/performance.md: idle connections).
/// </para>
/// </summary>
internal sealed class MessageIntake(SessionOptions options, long maxMessageSize, IMessageStore store) : IDisposable
{
    private DataReader? _reader;
    private IMessageWriter? _content;
    private long _chunkRemaining;

    public IMessageWriter Content => _content ??= store.CreateWriter();

    private DataReader Reader => _reader ??= new(maxMessageSize, options.MaxDataLineLength, options.BareLineEndingsInData);

    /// <summary>The BDAT command whose chunk is being (or was last) read.</summary>
    public ParseResult ChunkCommand { get; private set; }

    /// <summary>The chunk's octets are kept: its BDAT was well formed and in sequence.</summary>
    public bool ChunkAccepted { get; private set; }

    /// <summary>A BDAT line was read and its chunk's octets are still coming: they belong to that command.</summary>
    public bool ChunkPending { get; private set; }

    public void BeginData() => Clear();

    /// <summary>
    /// Hands the content to the store with the session's envelope; the message is kept once this returns. An
    /// <see cref="IOException"/> from the store leaves no content behind (the caller answers 451).
    /// </summary>
    public async ValueTask<CapturedMessage> SaveAsync(SessionContext context, string id, CancellationToken cancellationToken)
    {
        var envelope = new MessageEnvelope(id, context.Id, options.TimeProvider.GetUtcNow(), context.ClientText, context.HeloName ?? string.Empty,
            context.Sender ?? MailPath.Null, context.SenderParameters, [.. context.Recipients])
        {
            Tls = context.Tls?.ToString(),
            AuthenticatedUser = context.AuthenticatedUser,
            AuthMechanism = context.AuthenticatedUser is null ? null : context.AuthMechanism,
        };
        try
        {
            return await store.SaveAsync(envelope, Content, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            Content.Clear();
            throw;
        }
    }

    /// <summary>Takes content; true once CRLF.CRLF arrived.</summary>
    public bool ReadData(ref ReadOnlySequence<byte> buffer) =>
        Reader.Read(ref buffer, Reader.SizeExceeded ? null : Content) == DataStatus.Complete;

    public DataSummary Summary => _reader is not { } reader ? default : new(
        reader.Size,
        reader.SizeExceeded,
        reader.LineTooLong,
        reader.BareLineEndings,
        reader.BareLineEndings > 0 && reader.Policy == BareLineEndingPolicy.Reject,
        reader.BareLfDotLines);

    public BareLineEndingPolicy Policy => options.BareLineEndingsInData;

    /// <summary>Starts reading the chunk that follows a BDAT line; its octets are kept only when <paramref name="accepted"/>.</summary>
    public void BeginChunk(ParseResult parsed, bool accepted)
    {
        ChunkCommand = parsed;
        _chunkRemaining = parsed.Command.ChunkSize;
        ChunkAccepted = accepted;
        ChunkPending = true;
    }

    /// <summary>Takes chunk octets; true once the whole chunk was read.</summary>
    public bool ReadChunk(ref ReadOnlySequence<byte> buffer, SessionContext session)
    {
        var take = Math.Min(_chunkRemaining, buffer.Length);
        if (take > 0)
        {
            if (ChunkAccepted && session.ChunkedOctets + take <= maxMessageSize)
            {
                foreach (var segment in buffer.Slice(0, take))
                {
                    Content.Write(segment.Span);
                }
            }

            session.ChunkedOctets += take;
            _chunkRemaining -= take;
            buffer = buffer.Slice(take);
        }

        ChunkPending = _chunkRemaining > 0;
        return !ChunkPending;
    }

    /// <summary>Forgets the content of the transaction that ended (a spilled file not taken is deleted).</summary>
    public void Clear()
    {
        _content?.Clear();
        _reader?.Reset();
    }

    public void Dispose() => _content?.Dispose();
}
