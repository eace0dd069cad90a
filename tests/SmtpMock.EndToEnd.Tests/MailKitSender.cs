using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>
/// A MailKit client that sends with BDAT whenever the server advertises CHUNKING. MailKit 4.x
/// (SmtpClient.UseBdatCommand) only uses BDAT when a part needs BINARYMIME, which this server does not advertise,
/// or when this documented protected property is overridden to true; otherwise it always uses DATA.
/// </summary>
internal sealed class BdatSmtpClient(MailKit.IProtocolLogger logger) : SmtpClient(logger)
{
    protected override bool PreferSendAsBinaryData => true;
}

/// <summary>One MailKit send: the server's reply, the bytes MailKit put on the wire and the message they became.</summary>
internal sealed record MailKitSent(MimeMessage Message, byte[] Expected, string Reply, WirePayload Wire, CapturedMessage Captured);

internal static class MailKitSender
{
    public const string HeloName = "mailkit.client.test";

    /// <summary>
    /// Sends the messages over one connection with MailKit (no TLS), then QUITs. Returns, for each, the bytes MailKit
    /// wrote as the message (serialised as MailKit's Send does: its FormatOptions clone with NewLineFormat.Dos and
    /// EnsureNewLine, after its Prepare), the wire payload the protocol logger saw, and the captured message.
    /// </summary>
    public static async Task<(IReadOnlyList<MailKitSent> Sent, WireRecorder Wire)> SendAsync(
        SmtpMockServer server, IReadOnlyList<MimeMessage> messages, FormatOptions? options = null, bool bdat = false)
    {
        var recorder = new WireRecorder();
        var replies = new List<string>();
        using (var client = bdat ? new BdatSmtpClient(recorder) : new SmtpClient(recorder))
        {
            client.LocalDomain = HeloName;
            client.Timeout = (int)TestServer.Deadline.TotalMilliseconds;
            using var timeout = TestServer.Timeout();
            await client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.None, timeout.Token);
            foreach (var message in messages)
            {
                replies.Add(await client.SendAsync(options ?? FormatOptions.Default, message, timeout.Token));
            }

            await client.DisconnectAsync(quit: true, timeout.Token);
        }

        var payloads = recorder.Payloads();
        Assert.That(payloads, Has.Count.EqualTo(messages.Count), "one payload on the wire per message");
        var sent = new List<MailKitSent>();
        for (var i = 0; i < messages.Count; i++)
        {
            var id = TestServer.QueuedId(replies[i]);
            var captured = await server.WaitForMessageAsync(m => m.Id == id);
            sent.Add(new MailKitSent(messages[i], Serialize(messages[i], options), replies[i], payloads[i], captured));
        }

        return (sent, recorder);
    }

    public static async Task<MailKitSent> SendOneAsync(SmtpMockServer server, MimeMessage message, FormatOptions? options = null, bool bdat = false)
    {
        var (sent, _) = await SendAsync(server, [message], options, bdat);
        return sent[0];
    }

    /// <summary>The message as MailKit's SmtpClient.Send writes it (call after the send: Prepare has run by then).</summary>
    public static byte[] Serialize(MimeMessage message, FormatOptions? options = null)
    {
        var format = (options ?? FormatOptions.Default).Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.EnsureNewLine = true;
        using var stream = new MemoryStream();
        message.WriteTo(format, stream);
        return stream.ToArray();
    }

    /// <summary>Dot-stuffing of RFC 5321 §4.5.2: a line that starts with "." gets one more.</summary>
    public static byte[] DotStuff(byte[] content)
    {
        var stuffed = new List<byte>(content.Length + 16);
        var lineStart = true;
        foreach (var b in content)
        {
            if (lineStart && b == '.')
            {
                stuffed.Add((byte)'.');
            }

            stuffed.Add(b);
            lineStart = b == '\n';
        }

        return [.. stuffed];
    }

    /// <summary>
    /// The byte-for-byte checks every MailKit test makes: the serialisation equals what crossed the wire (stuffed
    /// for DATA, as is for BDAT), and the captured Raw equals that serialisation exactly.
    /// </summary>
    public static void AssertRoundTrip(MailKitSent sent)
    {
        var onWire = sent.Wire.Command == "DATA" ? DotStuff(sent.Expected) : sent.Expected;
        Assert.That(sent.Wire.Bytes, Is.EqualTo(onWire), "the test's serialisation of the message differs from what MailKit wrote");
        Assert.That(sent.Captured.Raw.ToArray(), Is.EqualTo(sent.Expected), "the captured bytes differ from what MailKit sent");
        Assert.That(sent.Captured.Size, Is.EqualTo(sent.Expected.Length));
    }

    public static MimeMessage NewMessage(string subject, string from = "sender@example.com", params string[] to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var address in to.Length == 0 ? ["rcpt@example.com"] : to)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }

        message.Subject = subject;
        return message;
    }
}
