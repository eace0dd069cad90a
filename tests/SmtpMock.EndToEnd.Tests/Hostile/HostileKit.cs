using System.Text;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests.Hostile;

/// <summary>
/// What the hostile-input tests share: a well-behaved bystander that must be served normally while a hostile
/// connection is open on the same server, and what they ask of the store.
/// </summary>
internal static class HostileKit
{
    /// <summary>
    /// Runs a whole clean session (EHLO, MAIL, RCPT, DATA, QUIT) on a new connection and asserts that every reply
    /// is the normal one and that the message is captured byte for byte. Returns the message's id.
    /// </summary>
    public static async Task<string> AssertBystanderServedAsync(this SmtpMockServer server, string tag)
    {
        await using var client = await WireClient.ConnectAndGreetAsync(server.EndPoint, $"{tag}.bystander.test");
        var id = await server.AssertTransactionAsync(client, tag);
        Assert.That((await client.CommandAsync("QUIT")).Single(), Does.StartWith("221 2.0.0"));
        return id;
    }

    /// <summary>
    /// MAIL, RCPT, DATA and a small message on a connection that has said EHLO; asserts the replies and the
    /// capture. Returns the message's id.
    /// </summary>
    public static async Task<string> AssertTransactionAsync(this SmtpMockServer server, WireClient client, string tag)
    {
        var sender = $"{tag}@bystander.test";
        Assert.That((await client.CommandAsync($"MAIL FROM:<{sender}>")).Single(), Does.StartWith("250 2.1.0"));
        Assert.That((await client.CommandAsync("RCPT TO:<inbox@example.org>")).Single(), Does.StartWith("250 2.1.5"));
        Assert.That((await client.CommandAsync("DATA")).Single(), Does.StartWith("354 "));
        var content = BystanderContent(tag);
        var accepted = (await client.CommandAsync(content + ".")).Single();
        Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "));

        var id = TestServer.QueuedId(accepted);
        var captured = await server.WaitForMessageAsync(m => m.Id == id);
        Assert.That(captured.Raw.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(content)));
        Assert.That(captured.Sender.Address, Is.EqualTo(sender));
        Assert.That(captured.RecipientAddresses(), Is.EqualTo(new[] { "inbox@example.org" }));
        return id;
    }

    public static string BystanderContent(string tag) =>
        $"Subject: {tag}\r\nX-Bystander: {tag}\r\n\r\nA well-behaved message, sent while a hostile client was connected.\r\n";

    /// <summary>The senders of every kept message.</summary>
    public static IReadOnlyList<string> Senders(this SmtpMockServer server) =>
        [.. server.Messages.Messages.Select(m => m.Sender.Address)];

    /// <summary>The ids of every kept message.</summary>
    public static IReadOnlyList<string> Ids(this IMessageStore store) => [.. store.Messages.Select(m => m.Id)];

    /// <summary>Disposes the server, failing (rather than hanging) when the stop does not finish.</summary>
    public static async Task DisposeWithinAsync(this SmtpMockServer server, TimeSpan limit) =>
        await server.DisposeAsync().AsTask().WaitAsync(limit);
}
