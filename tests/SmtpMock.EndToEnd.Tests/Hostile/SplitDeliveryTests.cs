using System.Text;
using System.Text.RegularExpressions;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// The same dialog, hostile lines included, sent whole, line by line and one byte at a time over a real socket gets
/// identical replies (message ids aside) and identical captured messages: how TCP happens to split the bytes never
/// changes what a command or a message is.
/// </summary>
[TestFixture]
public sealed partial class SplitDeliveryTests
{
    private const string Dialog =
        "EHLO split.test\r\n"
        + "MAIL FROM:<a@example.com> SIZE=99999999999999999999\r\n"
        + "MAIL FROM:<a@exa\rmple.com>\r\n"
        + "MAIL FROM:<a\0@example.com>\r\n"
        + "ÉHLO x\r\n"
        + "NOOP trailing words\r\n"
        + "MAIL FROM:<a@example.com>\r\n"
        + "RCPT TO:<b@example.org>\r\n"
        + "DATA\r\n"
        + "Subject: split\r\n\r\nline one\n.\nstill content\r.\rstill content\r\n..dot-stuffed\r\n\0.\r\nend\r\n.\r\n"
        + "RSET\r\n"
        + "QUIT\r\n";

    public enum Delivery
    {
        Whole,
        LineByLine,
        ByteByByte,
    }

    [Test]
    public async Task Whole_line_by_line_and_byte_by_byte_get_the_same_replies_and_the_same_message()
    {
        var results = new Dictionary<Delivery, (string Replies, byte[] Message)>();
        foreach (var delivery in Enum.GetValues<Delivery>())
        {
            results[delivery] = await RunAsync(delivery);
        }

        TestContext.Out.WriteLine(results[Delivery.Whole].Replies);
        Assert.That(results[Delivery.Whole].Replies, Does.Contain("250 2.0.0 OK: queued as <id>"));
        Assert.That(results[Delivery.LineByLine].Replies, Is.EqualTo(results[Delivery.Whole].Replies));
        Assert.That(results[Delivery.ByteByByte].Replies, Is.EqualTo(results[Delivery.Whole].Replies));
        Assert.That(results[Delivery.LineByLine].Message, Is.EqualTo(results[Delivery.Whole].Message));
        Assert.That(results[Delivery.ByteByByte].Message, Is.EqualTo(results[Delivery.Whole].Message));
    }

    private static async Task<(string Replies, byte[] Message)> RunAsync(Delivery delivery)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await WireClient.ConnectAsync(server.EndPoint);
        var bytes = Encoding.UTF8.GetBytes(Dialog);
        switch (delivery)
        {
            case Delivery.Whole:
                await client.WriteAsync(bytes);
                break;
            case Delivery.LineByLine:
                var start = 0;
                for (var i = 0; i < bytes.Length; i++)
                {
                    if (bytes[i] == '\n')
                    {
                        await client.WriteAsync(bytes[start..(i + 1)]);
                        start = i + 1;
                    }
                }

                Assert.That(start, Is.EqualTo(bytes.Length));
                break;
            default:
                for (var i = 0; i < bytes.Length; i++)
                {
                    await client.WriteAsync(bytes[i..(i + 1)]);
                }

                break;
        }

        var replies = await client.ReadUntilClosedAsync();
        var message = server.Messages.Messages.Single();
        return (QueuedId().Replace(replies, "queued as <id>"), message.Raw.ToArray());
    }

    [GeneratedRegex("queued as [0-9a-f]+")]
    private static partial Regex QueuedId();
}
