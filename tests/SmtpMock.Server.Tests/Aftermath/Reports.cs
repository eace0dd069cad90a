using MimeKit;
using SmtpMock.Server.Aftermath;

namespace SmtpMock.Server.Tests.Aftermath;

/// <summary>Generated messages read back as a receiver would: serialized, then parsed by MimeKit from the bytes.</summary>
internal static class Reports
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 30, 0, TimeSpan.Zero);

    public static AftermathHost Host(TimeProvider? time = null) =>
        new("mx.test", time ?? new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));

    public static MimeMessage ReadBack(AftermathResult result)
    {
        Assert.That(result.Generated, Is.True, result.Reason);
        return MimeMessage.Load(new MemoryStream(result.ToBytes()));
    }

    /// <summary>The three parts of a multipart/report of the given type, as MimeKit reads them.</summary>
    public static (TextPart Text, MimeEntity Report, MimeEntity Original) Parts(MimeMessage message, string reportType)
    {
        Assert.That(message.Body?.ContentType.MimeType, Is.EqualTo("multipart/report"));
        var report = (MultipartReport)message.Body!;
        Assert.That(report.ReportType, Is.EqualTo(reportType));
        Assert.That(report, Has.Count.EqualTo(3), "human-readable part, machine-readable part, the original");
        Assert.That(report[0].ContentType.MimeType, Is.EqualTo("text/plain"));
        return ((TextPart)report[0], report[1], report[2]);
    }

    /// <summary>The message inside a message/rfc822 or text/rfc822-headers part.</summary>
    public static MimeMessage Inner(MimeEntity part)
    {
        Assert.That(part, Is.InstanceOf<MessagePart>());
        var message = ((MessagePart)part).Message;
        Assert.That(message, Is.Not.Null, "the part holds a message");
        return message!;
    }

    /// <summary>True when <paramref name="needle"/> appears octet for octet in the generated message.</summary>
    public static bool Contains(AftermathResult result, byte[] needle) => result.ToBytes().AsSpan().IndexOf(needle) >= 0;
}
