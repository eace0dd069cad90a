using System.Threading.Channels;
using SmtpMock.Control.Events;

namespace SmtpMock.Control.Tests;

public sealed class EventHubTests : ControlFixture
{
    [Test]
    public async Task A_reader_that_never_reads_is_dropped_and_the_smtp_side_goes_on()
    {
        using var hub = new EventHub(Server, buffer: 4);
        var slow = hub.Subscribe(out _);

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
}
