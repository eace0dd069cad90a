using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Tests;

public class TranscriptTests
{
    [Test]
    public void Every_line_comes_back_in_order_with_its_time_direction_text_and_rule()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var transcript = new Transcript(clock, 1000);
        var expected = new List<TranscriptLine>();
        var random = new Random(7);
        for (var i = 0; i < 600; i++)
        {
            // Empty lines, short ones, and ones longer than a whole block (4096 characters).
            var length = i % 97 == 0 ? 5000 + i : i % 13 == 0 ? 0 : random.Next(1, 300);
            var text = string.Create(length, i, (span, seed) =>
            {
                for (var c = 0; c < span.Length; c++)
                {
                    // Mostly ASCII, with two- three- and four-byte UTF-8 characters (stored as UTF-8, read back as text).
                    span[c] = (seed + c) % 41 == 0 ? 'é' : (seed + c) % 53 == 0 ? '日' : (char)('a' + ((seed + c) % 26));
                }
            });
            var direction = (TranscriptDirection)(i % 3);
            var rule = i % 5 == 0 ? $"rule-{i % 3}" : null;
            transcript.Add(direction, text, rule);
            expected.Add(new TranscriptLine(clock.GetUtcNow(), direction, text) { Rule = rule });
            clock.Advance(TimeSpan.FromMilliseconds(3));
        }

        Assert.That(transcript.Count, Is.EqualTo(600));
        Assert.That(transcript.Lines, Is.EqualTo(expected));
    }

    [Test]
    public void A_view_shows_the_lines_it_was_taken_at_reads_them_from_the_transcript_and_ends_with_the_left_out_note()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var transcript = new Transcript(clock, 4);
        transcript.Add(TranscriptDirection.In, "MAIL FROM:<a@example.com>");
        transcript.Add(TranscriptDirection.Out, "250-first", "rule-a");
        transcript.Add(TranscriptDirection.Out, "250 last", "rule-a");
        var early = transcript.View();
        transcript.Add(TranscriptDirection.Out, "(raw) garbage", "rule-b");
        transcript.Add(TranscriptDirection.In, "QUIT");
        var whole = transcript.View();

        Assert.That(early.Select(l => l.Text), Is.EqualTo(new[] { "MAIL FROM:<a@example.com>", "250-first", "250 last" }), "a view keeps the count it was taken at");
        Assert.That(whole.Select(l => l.Text), Is.EqualTo(transcript.Lines.Select(l => l.Text)));
        Assert.That(whole.Select(l => l.Text).Last(), Is.EqualTo("1 more lines left out"));
        Assert.That((whole.Count, whole[1].Rule, whole[3].Rule), Is.EqualTo((5, "rule-a", "rule-b")));
        Assert.That(transcript.RuleReplies, Is.EqualTo(2), "a rule's reply counted once (its last line), and a raw write");
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = whole[5]);
    }

    [Test]
    public void Past_the_cap_lines_are_counted_not_kept()
    {
        var clock = new FakeTimeProvider();
        var transcript = new Transcript(clock, 10);
        for (var i = 0; i < 25; i++)
        {
            transcript.Add(TranscriptDirection.In, $"NOOP {i}");
        }

        Assert.That(transcript.Count, Is.EqualTo(10));
        var lines = transcript.Lines;
        Assert.That(lines, Has.Count.EqualTo(11));
        Assert.That(lines.Take(10).Select(l => l.Text), Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"NOOP {i}")));
        Assert.That(lines[^1].Direction, Is.EqualTo(TranscriptDirection.Note));
        Assert.That(lines[^1].Text, Is.EqualTo("15 more lines left out"));
    }

    [Test]
    public void Text_outside_the_basic_plane_survives_the_byte_blocks()
    {
        var transcript = new Transcript(new FakeTimeProvider(), 10);
        transcript.Add(TranscriptDirection.In, "MAIL FROM:<δοκιμή@παράδειγμα.ελ> 📨");
        Assert.That(transcript.Lines[0].Text, Is.EqualTo("MAIL FROM:<δοκιμή@παράδειγμα.ελ> 📨"));
    }

    [Test]
    public void Line_slots_fill_chunks_of_16_32_64_128_then_256_without_gaps()
    {
        var sizes = new List<int>();
        for (var index = 0; index < 1000; index++)
        {
            var (chunk, slot) = Transcript.Locate(index);
            if (chunk == sizes.Count)
            {
                sizes.Add(0);
            }

            Assert.That(chunk, Is.EqualTo(sizes.Count - 1), $"line {index} starts no new chunk out of order");
            Assert.That(slot, Is.EqualTo(sizes[chunk]), $"line {index} takes the next slot");
            sizes[chunk]++;
        }

        Assert.That(sizes.Take(6), Is.EqualTo(new[] { 16, 32, 64, 128, 256, 256 }));
    }
}
