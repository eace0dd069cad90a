using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Webhooks;

namespace SmtpMock.Server.Tests.Webhooks;

/// <summary>Drops are reported once per burst with their number, and each minute while a burst lasts.</summary>
public class DropBurstTests
{
    [Test]
    public void A_burst_is_counted_until_the_queue_has_room_and_reported_each_minute_while_it_lasts()
    {
        var time = new FakeTimeProvider();
        var burst = new DropBurst(time);
        Assert.That(burst.End(), Is.Zero, "nothing dropped, nothing to report");
        Assert.That(Enumerable.Range(0, 5).Select(_ => burst.Add()), Has.All.Zero);
        Assert.That(burst.End(), Is.EqualTo(5));
        Assert.That(burst.End(), Is.Zero, "reported once");

        burst.Add();
        time.Advance(DropBurst.Interval - TimeSpan.FromTicks(1));
        Assert.That(burst.Add(), Is.Zero);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.That(burst.Add(), Is.EqualTo(3), "a minute into the burst: reported while it goes on");
        Assert.That(burst.Add(), Is.Zero, "and counted afresh");
        Assert.That(burst.End(), Is.EqualTo(1));
    }
}
