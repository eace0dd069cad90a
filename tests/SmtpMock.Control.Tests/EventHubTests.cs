using System.Threading.Channels;
using SmtpMock.Control.Events;

namespace SmtpMock.Control.Tests;

public sealed class EventHubTests : ControlFixture
{
    [Test]
    public async Task A_reader_that_never_reads_is_dropped_and_the_smtp_side_goes_on()
    {
        using var hub = new EventHub(Server, buffer: 4, maxReaders: 10);
        var slow = hub.Subscribe(out _)!;

        // One MailKit session makes far more than 4 events; the send must not wait for anybody.
        await SendAsync(Message("while nobody reads")).WaitAsync(Deadline);

        Assert.That(Server.Messages.Count, Is.EqualTo(1));

        // What it had buffered is still readable, then its stream ends with the reason.
        var read = 0;
        using var deadline = new CancellationTokenSource(Deadline);
        var dropped = await Assert.ThrowsAsync<ChannelClosedException>(async () =>
        {
            await foreach (var _ in slow.ReadAllAsync().WithCancellation(deadline.Token))
            {
                read++;
            }
        });
        Assert.That(dropped!.Message, Does.Contain("fell behind"));
        Assert.That(read, Is.EqualTo(4));
    }

    [Test]
    public async Task A_dropped_reader_is_told_at_once_so_that_its_stream_stops_writing()
    {
        using var hub = new EventHub(Server, buffer: 4, maxReaders: 10);
        var slow = hub.Subscribe(out _, out var dropped)!;
        Assert.That(dropped.IsCancellationRequested, Is.False);

        await SendAsync(Message("while nobody reads")).WaitAsync(Deadline);

        Assert.That(dropped.IsCancellationRequested, Is.True, "the reader that never read was signalled");
        Assert.That(slow.TryRead(out _), Is.True, "its buffered events stay readable for anyone who wants them");
    }

    [Test]
    public void Past_the_reader_limit_no_channel_is_given_and_a_leaving_reader_frees_its_place()
    {
        using var hub = new EventHub(Server, buffer: 4, maxReaders: 2);
        Assert.That(hub.Subscribe(out var first), Is.Not.Null);
        Assert.That(hub.Subscribe(out _), Is.Not.Null);
        Assert.That(hub.Subscribe(out _), Is.Null, "the third is refused");

        hub.Unsubscribe(first);
        Assert.That(hub.Subscribe(out _), Is.Not.Null);
    }

    [Test]
    public async Task Every_reader_gets_the_same_bytes_serialized_once()
    {
        using var hub = new EventHub(Server, buffer: 1000, maxReaders: 10);
        var readers = Enumerable.Range(0, 3).Select(i => hub.Subscribe(out var channel)!).ToList();

        await SendAsync(Message("shared")).WaitAsync(Deadline);

        var first = await readers[0].ReadAsync().AsTask().WaitAsync(Deadline);
        foreach (var reader in readers.Skip(1))
        {
            var frame = await reader.ReadAsync().AsTask().WaitAsync(Deadline);
            Assert.That(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frame, out var a) && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first, out var b) && ReferenceEquals(a.Array, b.Array), Is.True, "one array for every reader");
        }

        Assert.That(System.Text.Encoding.UTF8.GetString(first.Span), Does.StartWith("event: session-opened\ndata: {").And.EndWith("}\n\n"));
    }
}
