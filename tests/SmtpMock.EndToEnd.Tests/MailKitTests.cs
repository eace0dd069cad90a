using System.Text;
using MimeKit;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>MailKit, the most used .NET SMTP client, against a real server over loopback.</summary>
[TestFixture]
public sealed class MailKitTests : ServerFixture
{
    [Test]
    public async Task Plain_text_message_is_captured_byte_for_byte()
    {
        var message = MailKitSender.NewMessage("Plain text", "alice@example.com", "bob@example.org");
        message.Body = new TextPart("plain") { Text = "Hello Bob,\r\n\r\nThis is a plain text message.\r\n-- \r\nAlice\r\n" };

        var sent = await MailKitSender.SendOneAsync(Server, message);

        MailKitSender.AssertRoundTrip(sent);
        var captured = sent.Captured;
        Assert.That(captured.Sender.Address, Is.EqualTo("alice@example.com"));
        Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { "bob@example.org" }));
        Assert.That(captured.HeloName, Is.EqualTo(MailKitSender.HeloName));
        Assert.That(captured.Message.Subject, Is.EqualTo("Plain text"));
        Assert.That(captured.Message.TextBody, Is.EqualTo(Lf("Hello Bob,\r\n\r\nThis is a plain text message.\r\n-- \r\nAlice\r\n")), "MimeKit gives text with LF line ends");
        Assert.That(sent.Wire.Command, Is.EqualTo("DATA"));
    }

    [Test]
    public async Task Multipart_message_with_attachment_is_captured_byte_for_byte()
    {
        var attachment = new byte[3000];
        for (var i = 0; i < attachment.Length; i++)
        {
            attachment[i] = (byte)(i * 7 % 256);
        }

        var message = MailKitSender.NewMessage("Report attached", "reports@example.com", "team@example.org", "boss@example.org");
        var builder = new BodyBuilder { TextBody = "The report is attached.\r\n" };
        builder.Attachments.Add("report.bin", attachment, new ContentType("application", "octet-stream"));
        message.Body = builder.ToMessageBody();

        var sent = await MailKitSender.SendOneAsync(Server, message);

        MailKitSender.AssertRoundTrip(sent);
        var captured = sent.Captured;
        Assert.That(captured.Sender.Address, Is.EqualTo("reports@example.com"));
        Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { "team@example.org", "boss@example.org" }));
        Assert.That(captured.Message.Body, Is.InstanceOf<Multipart>());
        Assert.That(captured.Message.Body!.ContentType.MimeType, Is.EqualTo("multipart/mixed"));
        var part = captured.Message.Attachments.OfType<MimePart>().Single();
        Assert.That(part.FileName, Is.EqualTo("report.bin"));
        using var decoded = new MemoryStream();
        Assert.That(part.Content, Is.Not.Null);
        part.Content!.DecodeTo(decoded);
        Assert.That(decoded.ToArray(), Is.EqualTo(attachment));
    }

    [Test]
    public async Task Eight_bit_body_is_sent_with_body_8bitmime_and_kept_as_utf8()
    {
        const string text = "Grüße aus Köln — naïve café, 日本語のテキスト.\r\nZweite Zeile: äöüß\r\n";
        var message = MailKitSender.NewMessage("8bit body", "alice@example.com", "bob@example.org");
        var body = new TextPart("plain") { ContentTransferEncoding = ContentEncoding.EightBit };
        body.SetText(Encoding.UTF8, text);
        message.Body = body;

        var sent = await MailKitSender.SendOneAsync(Server, message);

        MailKitSender.AssertRoundTrip(sent);
        var captured = sent.Captured;
        Assert.That(captured.SenderParameters.Select(p => p.ToString()), Does.Contain("BODY=8BITMIME"));
        Assert.That(captured.Message.Body, Is.InstanceOf<TextPart>().With.Property(nameof(TextPart.ContentTransferEncoding)).EqualTo(ContentEncoding.EightBit));
        Assert.That(IndexOf(captured.Raw.ToArray(), Encoding.UTF8.GetBytes("Grüße aus Köln")), Is.GreaterThan(0), "the UTF-8 octets are stored as sent");
        Assert.That(captured.Message.TextBody, Is.EqualTo(Lf(text)), "MimeKit gives text with LF line ends");
    }

    [Test]
    public async Task International_addresses_are_sent_with_smtputf8()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Jörg", "jörg@bücher.example"));
        message.To.Add(new MailboxAddress("用户", "用户@例子.广告"));
        message.To.Add(new MailboxAddress("Plain", "plain@example.org"));
        message.Subject = "Grüße ✉";
        message.Body = new TextPart("plain") { Text = "Hallo Jörg!\r\n" };
        var international = FormatOptions.Default.Clone();
        international.International = true;

        var sent = await MailKitSender.SendOneAsync(Server, message, international);

        MailKitSender.AssertRoundTrip(sent);
        var captured = sent.Captured;
        Assert.That(captured.SenderParameters.Select(p => p.Keyword), Does.Contain("SMTPUTF8"));
        Assert.That(captured.SenderParameters.Single(p => p.Keyword == "SMTPUTF8").Value, Is.Null);
        Assert.That(captured.Sender.Address, Is.EqualTo("jörg@bücher.example"));
        Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { "用户@例子.广告", "plain@example.org" }));
        Assert.That(IndexOf(captured.Raw.ToArray(), Encoding.UTF8.GetBytes("用户@例子.广告")), Is.GreaterThan(0), "the header carries the address in raw UTF-8");
        Assert.That(captured.Message.Subject, Is.EqualTo("Grüße ✉"));
        Assert.That(captured.Message.To.Mailboxes.First().Address, Is.EqualTo("用户@例子.广告"));
    }

    [Test]
    public async Task Several_messages_on_one_connection_are_pipelined()
    {
        var messages = Enumerable.Range(1, 4).Select(i =>
        {
            var message = MailKitSender.NewMessage($"Message {i}", $"sender{i}@example.com", $"first{i}@example.org", $"second{i}@example.org");
            message.Body = new TextPart("plain") { Text = $"Body of message {i}.\r\n" };
            return message;
        }).ToList();

        var (sent, wire) = await MailKitSender.SendAsync(Server, messages);

        for (var i = 0; i < messages.Count; i++)
        {
            MailKitSender.AssertRoundTrip(sent[i]);
            Assert.That(sent[i].Captured.Sender.Address, Is.EqualTo($"sender{i + 1}@example.com"));
            Assert.That(sent[i].Captured.RecipientAddresses(), Is.EqualTo(new[] { $"first{i + 1}@example.org", $"second{i + 1}@example.org" }));
            Assert.That(sent[i].Captured.Message.Subject, Is.EqualTo($"Message {i + 1}"));
        }

        Assert.That(sent.Select(s => s.Captured.SessionId).Distinct().Count(), Is.EqualTo(1), "all on one connection");
        Assert.That(Server.Messages.Messages.Select(m => m.Id), Is.EqualTo(sent.Select(s => s.Captured.Id)), "stored in the order sent");

        // MailKit pipelines when PIPELINING is advertised: MAIL and both RCPTs leave in one socket write.
        var pipelined = wire.Writes.Select(Encoding.UTF8.GetString)
            .Where(w => w.StartsWith("MAIL FROM:", StringComparison.Ordinal))
            .ToList();
        Assert.That(pipelined, Has.Count.EqualTo(messages.Count));
        Assert.That(pipelined, Has.All.Contains("\r\nRCPT TO:<first").And.All.Contains("\r\nRCPT TO:<second"));

        var session = await Server.WaitForSessionAsync(sent[0].Captured.SessionId);
        var commands = session.ClientLines();
        Assert.That(commands.Count(c => c.StartsWith("MAIL FROM:", StringComparison.Ordinal)), Is.EqualTo(messages.Count));
        Assert.That(commands.Count(c => c.StartsWith("RCPT TO:", StringComparison.Ordinal)), Is.EqualTo(2 * messages.Count));
        Assert.That(commands[^1], Is.EqualTo("QUIT"));
    }

    [Test]
    public async Task Message_with_many_recipients_keeps_every_recipient_in_order()
    {
        var to = Enumerable.Range(1, 40).Select(i => $"to{i:D2}@example.org").ToArray();
        var cc = Enumerable.Range(1, 30).Select(i => $"cc{i:D2}@example.net").ToArray();
        var bcc = Enumerable.Range(1, 25).Select(i => $"bcc{i:D2}@example.com").ToArray();
        var message = MailKitSender.NewMessage("Many recipients", "list@example.com", to);
        message.Cc.AddRange(cc.Select(MailboxAddress.Parse));
        message.Bcc.AddRange(bcc.Select(MailboxAddress.Parse));
        message.Body = new TextPart("plain") { Text = "To all of you.\r\n" };

        var sent = await MailKitSender.SendOneAsync(Server, message);

        MailKitSender.AssertRoundTrip(sent);
        Assert.That(sent.Captured.Sender.Address, Is.EqualTo("list@example.com"));
        // MailKit's envelope is To, then Cc, then Bcc.
        Assert.That(sent.Captured.RecipientAddresses(), Is.EqualTo(to.Concat(cc).Concat(bcc)));
        Assert.That(sent.Captured.Recipients.All(r => r.Parameters.Count == 0), Is.True);
    }

    [Test]
    public async Task Default_client_sends_with_data()
    {
        var message = MailKitSender.NewMessage("Via DATA");
        message.Body = new TextPart("plain") { Text = "Sent with DATA.\r\n" };

        var sent = await MailKitSender.SendOneAsync(Server, message);

        MailKitSender.AssertRoundTrip(sent);
        var session = await Server.WaitForSessionAsync(sent.Captured.SessionId);
        Assert.That(session.ClientLines(), Does.Contain("DATA"));
        Assert.That(session.ClientLines().Where(l => l.StartsWith("BDAT", StringComparison.OrdinalIgnoreCase)), Is.Empty);
        Assert.That(sent.Wire.Command, Is.EqualTo("DATA"));
    }

    [Test]
    public async Task Client_that_prefers_binary_data_sends_with_bdat_and_nothing_is_unstuffed()
    {
        var message = MailKitSender.NewMessage("Via BDAT");
        // In a BDAT chunk a leading dot is content, not transparency: it must arrive as it was sent.
        message.Body = new TextPart("plain")
        {
            Text = "Sent with BDAT.\r\n.\r\n..two dots\r\n.leading dot\r\nlast line\r\n",
            ContentTransferEncoding = ContentEncoding.SevenBit,
        };

        var sent = await MailKitSender.SendOneAsync(Server, message, bdat: true);

        MailKitSender.AssertRoundTrip(sent);
        Assert.That(sent.Wire.Command, Is.EqualTo($"BDAT {sent.Expected.Length} LAST"));
        Assert.That(IndexOf(sent.Captured.Raw.ToArray(), "\r\n.\r\n..two dots\r\n.leading dot\r\n"u8.ToArray()), Is.GreaterThan(0));
        Assert.That(sent.Captured.Message.TextBody, Is.EqualTo(Lf("Sent with BDAT.\r\n.\r\n..two dots\r\n.leading dot\r\nlast line\r\n")), "MimeKit gives text with LF line ends");
        var session = await Server.WaitForSessionAsync(sent.Captured.SessionId);
        var bdatLines = session.ClientLines().Where(l => l.StartsWith("BDAT", StringComparison.Ordinal)).ToList();
        Assert.That(bdatLines, Is.EqualTo(new[] { $"BDAT {sent.Expected.Length} LAST" }));
        Assert.That(session.ClientLines(), Does.Not.Contain("DATA"));
    }

    [Test]
    public async Task Lines_starting_with_dots_survive_dot_stuffing()
    {
        const string text = ".\r\n..\r\n.leading dot\r\n...three dots\r\nmiddle . dot\r\n. space after dot\r\n.\r\nend\r\n";
        var message = MailKitSender.NewMessage("Dots");
        message.Body = new TextPart("plain") { Text = text, ContentTransferEncoding = ContentEncoding.SevenBit };

        var sent = await MailKitSender.SendOneAsync(Server, message);

        MailKitSender.AssertRoundTrip(sent);
        Assert.That(sent.Wire.Command, Is.EqualTo("DATA"));
        Assert.That(IndexOf(sent.Wire.Bytes, "\r\n..\r\n...\r\n..leading dot\r\n....three dots\r\n"u8.ToArray()), Is.GreaterThan(0), "MailKit stuffed the dots on the wire");
        Assert.That(IndexOf(sent.Captured.Raw.ToArray(), "\r\n.\r\n..\r\n.leading dot\r\n...three dots\r\n"u8.ToArray()), Is.GreaterThan(0), "the server removed exactly one dot");
        Assert.That(sent.Captured.Message.TextBody, Is.EqualTo(Lf(text)), "MimeKit gives text with LF line ends");
    }

    private static string Lf(string text) => text.ReplaceLineEndings("\n");

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
