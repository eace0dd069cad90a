using System.Buffers;
using System.Text;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Protocol.Tests;

public class ReplyTests
{
    private static string Written(SmtpReply reply)
    {
        var writer = new ArrayBufferWriter<byte>();
        ReplyWriter.Write(writer, reply);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    [Test]
    public void Writes_a_single_line_reply_with_its_enhanced_code()
    {
        Assert.That(Written(new SmtpReply(250, "2.1.0", "Sender OK")), Is.EqualTo("250 2.1.0 Sender OK\r\n"));
    }

    [Test]
    public void Writes_every_line_of_a_multiline_reply_with_the_same_code()
    {
        var text = Written(new SmtpReply(214, "2.0.0", "one", "two", "three"));
        Assert.That(text, Is.EqualTo("214-2.0.0 one\r\n214-2.0.0 two\r\n214 2.0.0 three\r\n"));
    }

    [Test]
    public void Writes_a_reply_without_enhanced_code()
    {
        Assert.That(Written(new SmtpReply(354, null, "go ahead")), Is.EqualTo("354 go ahead\r\n"));
    }

    [TestCase(199)]
    [TestCase(600)]
    public void Refuses_a_code_outside_200_to_599(int code)
    {
        Assert.That(() => new SmtpReply(code, null, "x"), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [TestCase(550, "4.1.1")]
    [TestCase(250, "5.0.0")]
    [TestCase(250, "2.0")]
    [TestCase(250, "2.01.0")]
    public void Refuses_an_enhanced_code_that_does_not_fit(int code, string enhanced)
    {
        Assert.That(() => new SmtpReply(code, enhanced, "x"), Throws.ArgumentException);
    }

    [Test]
    public void Refuses_a_line_over_512_octets_and_accepts_one_of_exactly_512()
    {
        var fits = new string('x', 512 - "250 2.0.0 ".Length - 2);
        Assert.That(Written(new SmtpReply(250, "2.0.0", fits)).Length, Is.EqualTo(512));
        Assert.That(() => new SmtpReply(250, "2.0.0", fits + "x"), Throws.ArgumentException);
    }

    [Test]
    public void Refuses_line_breaks_inside_a_line()
    {
        Assert.That(() => new SmtpReply(250, null, "a\r\n250 b"), Throws.ArgumentException);
    }

    [Test]
    public void Every_default_2xx_4xx_and_5xx_reply_carries_an_enhanced_code_of_its_class()
    {
        // RFC 2034 §4 / RFC 3463 §3 (PROTOCOL.md): only the greeting and the EHLO/HELO replies go without one, and
        // those are built by the responder, not kept here. 3xx (354, 334) never carry one.
        var replies = new[] { typeof(StandardReplies), typeof(SecurityReplies) }
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            .Where(f => f.FieldType == typeof(SmtpReply))
            .Select(f => (f.Name, Reply: (SmtpReply)f.GetValue(null)!))
            .Append((Name: "MessageAccepted", Reply: StandardReplies.MessageAccepted("id")))
            .Append((Name: "ChunkReceived", Reply: StandardReplies.ChunkReceived(1)))
            .ToList();

        Assert.That(replies, Has.Count.GreaterThan(40));
        foreach (var (name, reply) in replies.Where(r => r.Reply.Code / 100 != 3))
        {
            Assert.That(reply.Enhanced, Is.Not.Null, name);
            Assert.That(reply.Enhanced![0] - '0', Is.EqualTo(reply.Code / 100), name);
        }
    }

    [Test]
    public void Standard_replies_pair_codes_as_postfix_does()
    {
        Assert.That(StandardReplies.CommandUnrecognized.Enhanced, Is.EqualTo("5.5.2"));
        Assert.That(StandardReplies.NotImplemented.Enhanced, Is.EqualTo("5.5.1"));
        Assert.That(StandardReplies.BadSequence.Enhanced, Is.EqualTo("5.5.1"));
        Assert.That(StandardReplies.ParameterNotImplemented.Enhanced, Is.EqualTo("5.5.4"));
        Assert.That(StandardReplies.TooManyRecipients.ToString(), Does.StartWith("452 4.5.3"));
        Assert.That(StandardReplies.MessageTooBig.ToString(), Does.StartWith("552 5.3.4"));
        Assert.That(StandardReplies.Timeout.ToString(), Does.StartWith("421 4.4.2"));
    }
}
