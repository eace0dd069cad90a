using System.Text;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.Engines.Tests.PostgresStore;

/// <summary>Saves a message through a store's own writer, as a session does.</summary>
internal static class StoreMail
{
    public static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    public static async Task<CapturedMessage> SaveAsync(IMessageStore store, string id, DateTimeOffset at, int bodyOctets = 64, string to = "bob@example.test")
    {
        var header = $"From: a@example.test\r\nTo: {to}\r\nSubject: {id}\r\n\r\n";
        var content = Encoding.ASCII.GetBytes(header + new string('x', Math.Max(0, bodyOctets - header.Length - 2)) + "\r\n");
        using var writer = store.CreateWriter();
        content.CopyTo(writer.GetSpan(content.Length));
        writer.Advance(content.Length);
        var envelope = new MessageEnvelope(id, 1, at, "127.0.0.1:40000", "client.example.test", new MailPath("a", "example.test", null), [], [new Recipient(Path(to), [])]);
        return await store.SaveAsync(envelope, writer, CancellationToken.None);
    }

    private static MailPath Path(string address) => new(address[..address.IndexOf('@', StringComparison.Ordinal)], address[(address.IndexOf('@', StringComparison.Ordinal) + 1)..], null);
}
