using System.Buffers;

namespace SmtpMock.Server.Capture;

/// <summary>
/// Collects one message's content in pooled 64 KiB blocks, so a large message never needs one huge growing
/// array while it arrives; <see cref="ToArray"/> makes the single exact copy that the store keeps.
/// </summary>
internal sealed class MessageBuffer : IBufferWriter<byte>, IDisposable
{
    private const int BlockSize = 64 * 1024;
    private readonly List<byte[]> _blocks = [];
    private readonly List<int> _blockUsed = [];
    private int _used = BlockSize;

    public long Length { get; private set; }

    public void Advance(int count)
    {
        _used += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _blocks[^1].AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _blocks[^1].AsSpan(_used);
    }

    public byte[] ToArray()
    {
        var result = GC.AllocateUninitializedArray<byte>(checked((int)Length));
        var offset = 0;
        for (var i = 0; i < _blocks.Count; i++)
        {
            var count = i == _blocks.Count - 1 ? _used : _blockUsed[i];
            _blocks[i].AsSpan(0, count).CopyTo(result.AsSpan(offset));
            offset += count;
        }

        return result;
    }

    /// <summary>Writes the content to a stream, block by block.</summary>
    public void CopyTo(Stream stream)
    {
        for (var i = 0; i < _blocks.Count; i++)
        {
            stream.Write(_blocks[i], 0, i == _blocks.Count - 1 ? _used : _blockUsed[i]);
        }
    }

    /// <summary>Forgets the content and gives the blocks back to the pool.</summary>
    public void Clear()
    {
        foreach (var block in _blocks)
        {
            ArrayPool<byte>.Shared.Return(block);
        }

        _blocks.Clear();
        _blockUsed.Clear();
        _used = BlockSize;
        Length = 0;
    }

    public void Dispose() => Clear();

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_blocks.Count > 0 && _blocks[^1].Length - _used >= sizeHint)
        {
            return;
        }

        if (_blocks.Count > 0)
        {
            _blockUsed.Add(_used);
        }

        _blocks.Add(ArrayPool<byte>.Shared.Rent(Math.Max(BlockSize, sizeHint)));
        _used = 0;
    }
}
