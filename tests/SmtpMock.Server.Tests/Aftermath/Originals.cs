using System.Text;
using MimeKit;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Aftermath;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Tests.Harness;

namespace SmtpMock.Server.Tests.Aftermath;

/// <summary>
/// Originals as the server really captures them: each goes through a session (EHLO, MAIL, RCPT, DATA) and comes out
/// of its store, with the envelope, client address and received time the session gave it.
/// </summary>
internal static class Originals
{
    public const string Sender = "alice@example.com";
    public const string Recipient = "bob@example.net";

    /// <summary>Captures <paramref name="content"/> sent by <paramref name="sender"/> (empty for &lt;&gt;) to the recipients.</summary>
    public static async Task<CapturedMessage> CaptureAsync(string content, string sender = Sender, string[]? recipients = null, string mailParameters = "")
    {
        var dialog = new StringBuilder("EHLO client.test\r\n")
            .Append("MAIL FROM:<").Append(sender).Append('>').Append(mailParameters).Append("\r\n");
        foreach (var recipient in recipients ?? [Recipient])
        {
            dialog.Append("RCPT TO:<").Append(recipient).Append(">\r\n");
        }

        dialog.Append("DATA\r\n").Append(DotStuffed(content)).Append(".\r\nQUIT\r\n");
        var result = await SessionDriver.RunAsync(dialog.ToString());
        Assert.That(result.Store.Messages, Has.Count.EqualTo(1), result.Output);
        return result.Store.Messages[0];
    }

    public static Task<CapturedMessage> CaptureAsync(MimeMessage content, string sender = Sender, string[]? recipients = null) =>
        CaptureAsync(Wire(content), sender, recipients);

    /// <summary>The same content and session facts, with the DSN parameters of RFC 3461 the server does not take yet.</summary>
    public static CapturedMessage WithDsnParameters(CapturedMessage captured, IReadOnlyList<EsmtpParameter> mail, params IReadOnlyList<EsmtpParameter>[] perRecipient) =>
        new(captured.Id, captured.SessionId, captured.ReceivedAt, captured.Client, captured.HeloName, captured.Sender, mail,
            [.. captured.Recipients.Select((r, i) => new Recipient(r.Path, i < perRecipient.Length ? perRecipient[i] : []))],
            captured.Raw.ToArray());

    /// <summary>The same message as if it had come from <paramref name="client"/> (the session harness always uses 127.0.0.1:40000).</summary>
    public static CapturedMessage FromClient(CapturedMessage captured, string client) =>
        new(captured.Id, captured.SessionId, captured.ReceivedAt, client, captured.HeloName, captured.Sender, captured.SenderParameters,
            captured.Recipients, captured.Raw.ToArray());

    public static MimeMessage Simple(string subject = "Your order #1234")
    {
        var message = new MimeMessage { Subject = subject, MessageId = "order-1234@shop.example.com" };
        message.From.Add(new MailboxAddress("Alice", Sender));
        message.To.Add(new MailboxAddress("Bob", Recipient));
        message.Headers.Add("X-Campaign", "spring-sale");
        message.Body = new TextPart("plain") { Text = "Thank you for your order.\n" };
        return message;
    }

    public static MimeMessage WithAttachment()
    {
        var message = Simple("Invoice attached");
        var body = new BodyBuilder { TextBody = "Your invoice is attached.\n", HtmlBody = "<p>Your invoice is attached.</p>" };
        body.Attachments.Add("invoice.pdf", Encoding.ASCII.GetBytes("%PDF-1.4 not really a pdf\n"), new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>RFC 5322 headers only: From, To, Subject, Date, no Message-ID (some libraries leave it to the server).</summary>
    public const string WithoutMessageId =
        "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: no id here\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\nHello.\r\n";

    /// <summary>The message's wire form, CRLF line endings.</summary>
    public static string Wire(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(WireFormat.Options, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The header block as sent: everything before the empty line, the last field's CRLF included.</summary>
    public static byte[] HeaderBlockOf(CapturedMessage captured)
    {
        var raw = captured.Raw.ToArray();
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        return raw[..(end + 2)];
    }

    private static string DotStuffed(string content)
    {
        var lines = content.Split("\r\n");
        var stuffed = string.Join("\r\n", lines.Select(line => line.StartsWith('.') ? "." + line : line));
        return stuffed.EndsWith("\r\n", StringComparison.Ordinal) ? stuffed : stuffed + "\r\n";
    }
}
