using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Tests;

public class MessageIdTests
{
    [Test]
    public void Ids_are_32_hex_digits_unique_within_one_millisecond_and_ordered_by_time()
    {
        var instant = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        var sameMillisecond = Enumerable.Range(0, 50_000).Select(_ => MessageIds.Next(instant)).ToList();
        var later = MessageIds.Next(instant.AddMilliseconds(1));
        var earlier = MessageIds.Next(instant.AddMilliseconds(-1));

        Assert.That(sameMillisecond, Has.All.Match("^[0-9a-f]{32}$"));
        Assert.That(sameMillisecond.Distinct().Count(), Is.EqualTo(sameMillisecond.Count));
        Assert.That(sameMillisecond, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal), "the counter orders ids of one millisecond");
        Assert.That(string.CompareOrdinal(later, sameMillisecond[^1]), Is.Positive);
        Assert.That(string.CompareOrdinal(earlier, sameMillisecond[0]), Is.Negative);
        Assert.That(sameMillisecond[0][..12], Is.EqualTo(1_800_000_000_000L.ToString("x12", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
