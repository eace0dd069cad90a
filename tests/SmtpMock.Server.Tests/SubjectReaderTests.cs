using System.Text;
using MimeKit;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Tests;

/// <summary>The log line's Subject comes from one header parsed by MimeKit, the same value a full parse gives.</summary>
public class SubjectReaderTests
{
    private static string? Read(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        return SubjectReader.Find(bytes, 0, bytes.Length);
    }

    private static string? FullParse(string message) =>
        MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(message))).Subject;

    [TestCase("Subject: Quarterly report\r\n\r\nbody\r\n")]
    [TestCase("From: a@example.com\r\nSUBJECT: shouting\r\nTo: b@example.com\r\n\r\nbody\r\n")]
    [TestCase("Subject: a long subject\r\n that is folded\r\n\tacross lines\r\nTo: b@example.com\r\n\r\n")]
    [TestCase("Subject: =?UTF-8?B?R3LDvMOfZQ==?= aus Berlin\r\n\r\n")]
    [TestCase("Subject: =?ISO-8859-1?Q?caf=E9?=\n\nbare LF message\n")]
    public void Reads_what_a_full_mimekit_parse_reads(string message)
    {
        Assert.That(Read(message), Is.EqualTo(FullParse(message)));
    }

    [TestCase("From: a@example.com\r\n\r\nSubject: in the body, not a header\r\n")]
    [TestCase("From: a@example.com\r\nTo: b@example.com\r\n")]
    [TestCase("")]
    public void A_message_without_a_subject_header_has_none(string message)
    {
        Assert.That(Read(message), Is.Null);
    }
}
