using System.Globalization;
using System.Net;

namespace SmtpMock.Load.Tests.Churn;

/// <summary>
/// The churn's socket-level sessions (<see cref="WireClient"/>): plain, pipelined, several messages, BDAT, and the
/// ones that give up mid-DATA by a reset or a FIN. The active scenario (<c>scenarios/flaky.yaml</c>) may refuse
/// the connection with 421 and any MAIL, RCPT or DATA with 451: every reply is checked against what the state of
/// the dialog allows, and the ledger is told what became of each message.
/// </summary>
internal static class RawSessions
{
    public static async Task RunAsync(IPEndPoint server, ChurnKind kind, int session, Ledger ledger)
    {
        await using var client = await WireClient.ConnectAsync(server);
        var greeting = await LastLineAsync(client);
        if (greeting.StartsWith("421 ", StringComparison.Ordinal))
        {
            ledger.RefuseAtConnect();
            return;
        }

        Assert.That(greeting, Does.StartWith("220 "), $"session {session}: greeting");
        Assert.That(await CommandAsync(client, $"EHLO churn{session.ToString(CultureInfo.InvariantCulture)}.test"), Does.StartWith("250 "));
        var tag = Tag(session, 0);
        switch (kind)
        {
            case ChurnKind.Plain:
                await OneByOneAsync(client, kind, tag, ledger);
                break;
            case ChurnKind.Pipelined:
                await PipelinedAsync(client, kind, tag, ledger);
                break;
            case ChurnKind.SeveralMessages:
                for (var n = 0; n < 3; n++)
                {
                    if (!await PipelinedAsync(client, kind, Tag(session, n), ledger))
                    {
                        Assert.That(await CommandAsync(client, "RSET"), Does.StartWith("250 "), $"{tag}: RSET");
                    }
                }

                break;
            case ChurnKind.Bdat:
                await BdatAsync(client, kind, tag, ledger);
                break;
            case ChurnKind.ResetMidData:
            case ChurnKind.QuitMidData:
                await GiveUpMidDataAsync(client, kind, tag, ledger);
                return;
            default:
                throw new AssertionException($"{kind} is not a socket-level session");
        }

        Assert.That(await CommandAsync(client, "QUIT"), Does.StartWith("221 "), $"{tag}: QUIT");
    }

    public static string Tag(int session, int message) => string.Create(CultureInfo.InvariantCulture, $"{session}.{message}");

    public static string Content(string tag) =>
        $"Subject: {Ledger.Subject(tag)}\r\nX-Churn: {tag}\r\n\r\n" + string.Concat(Enumerable.Repeat($"Line of churn message {tag}.\r\n", 10));

    private static string Envelope(string tag) => $"MAIL FROM:<churn-{tag}@example.com>\r\nRCPT TO:<to-{tag}@example.org>\r\n";

    private static async Task OneByOneAsync(WireClient client, ChurnKind kind, string tag, Ledger ledger)
    {
        var mail = await CommandAsync(client, $"MAIL FROM:<churn-{tag}@example.com>");
        if (Refused(mail, tag, "MAIL", "250 ", "451 ", ledger))
        {
            return;
        }

        if (Refused(await CommandAsync(client, $"RCPT TO:<to-{tag}@example.org>"), tag, "RCPT", "250 ", "451 ", ledger)
            || Refused(await CommandAsync(client, "DATA"), tag, "DATA", "354 ", "451 ", ledger))
        {
            Assert.That(await CommandAsync(client, "RSET"), Does.StartWith("250 "), $"{tag}: RSET");
            return;
        }

        await FinishAsync(client, kind, tag, ledger);
    }

    /// <summary>One transaction with MAIL, RCPT and DATA in one write; false when it was refused.</summary>
    private static async Task<bool> PipelinedAsync(WireClient client, ChurnKind kind, string tag, Ledger ledger)
    {
        await client.WriteAsync(Envelope(tag) + "DATA\r\n");
        var mail = await LastLineAsync(client);
        var rcpt = await LastLineAsync(client);
        var data = await LastLineAsync(client);
        Assert.That(mail, Does.StartWith("250 ").Or.StartWith("451 "), $"{tag}: MAIL");
        Assert.That(rcpt, Does.StartWith("250 ").Or.StartWith("451 ").Or.StartWith("503 "), $"{tag}: RCPT after '{mail}'");
        if (!data.StartsWith("354 ", StringComparison.Ordinal))
        {
            // Refused by the scenario (451), or out of sequence after a refused MAIL or RCPT (503, 554 no valid recipients).
            Assert.That(data, Does.StartWith("451 ").Or.StartWith("503 ").Or.StartWith("554 "), $"{tag}: DATA after '{mail}', '{rcpt}'");
            ledger.Refuse();
            return false;
        }

        await FinishAsync(client, kind, tag, ledger);
        return true;
    }

    private static async Task BdatAsync(WireClient client, ChurnKind kind, string tag, Ledger ledger)
    {
        var content = Content(tag);
        var half = content.Length / 2;
        await client.WriteAsync(Envelope(tag)
            + $"BDAT {half.ToString(CultureInfo.InvariantCulture)}\r\n{content[..half]}"
            + $"BDAT {(content.Length - half).ToString(CultureInfo.InvariantCulture)} LAST\r\n{content[half..]}");
        var mail = await LastLineAsync(client);
        var rcpt = await LastLineAsync(client);
        var first = await LastLineAsync(client);
        var last = await LastLineAsync(client);
        var dialog = $"'{mail}', '{rcpt}', '{first}', '{last}'";
        if (last.StartsWith("250 2.0.0 OK: queued as ", StringComparison.Ordinal))
        {
            Assert.That(first, Does.StartWith("250 "), $"{tag}: {dialog}");
            ledger.Acknowledge(kind, tag, QueuedId(last));
            return;
        }

        // A refused MAIL or RCPT: both chunks are read and refused (503 out of sequence, 554 no valid recipients).
        Assert.That(mail.StartsWith("451 ", StringComparison.Ordinal) || rcpt.StartsWith("451 ", StringComparison.Ordinal), Is.True, $"{tag}: only a refused MAIL or RCPT refuses the chunks: {dialog}");
        Assert.That(last, Does.StartWith("503 ").Or.StartWith("554 "), $"{tag}: {dialog}");
        ledger.Refuse();
        Assert.That(await CommandAsync(client, "RSET"), Does.StartWith("250 "), $"{tag}: RSET");
    }

    private static async Task GiveUpMidDataAsync(WireClient client, ChurnKind kind, string tag, Ledger ledger)
    {
        await client.WriteAsync(Envelope(tag) + "DATA\r\n");
        await LastLineAsync(client);
        await LastLineAsync(client);
        if (!(await LastLineAsync(client)).StartsWith("354 ", StringComparison.Ordinal))
        {
            ledger.Refuse();
            client.Reset();
            return;
        }

        var content = Content(tag);
        await client.WriteAsync(content[..(content.Length / 2)]);
        ledger.Abandon();
        if (kind == ChurnKind.ResetMidData)
        {
            client.Reset();
            return;
        }

        client.ShutdownSend();
        Assert.That(await client.ReadUntilClosedAsync(), Does.Not.Contain("250 2.0.0 OK: queued"), $"{tag}: nothing accepted after a FIN mid-DATA");
    }

    private static async Task FinishAsync(WireClient client, ChurnKind kind, string tag, Ledger ledger)
    {
        await client.WriteAsync(Content(tag) + ".\r\n");
        var accepted = await LastLineAsync(client);
        Assert.That(accepted, Does.StartWith("250 2.0.0 OK: queued as "), $"{tag}: end of data (flaky.yaml refuses no message)");
        ledger.Acknowledge(kind, tag, QueuedId(accepted));
    }

    /// <summary>True (and counted) when <paramref name="reply"/> is the refusal, false when it is the success; anything else fails the test.</summary>
    private static bool Refused(string reply, string tag, string step, string success, string refusal, Ledger ledger)
    {
        Assert.That(reply, Does.StartWith(success).Or.StartWith(refusal), $"{tag}: {step}");
        if (!reply.StartsWith(refusal, StringComparison.Ordinal))
        {
            return false;
        }

        ledger.Refuse();
        return true;
    }

    public static string QueuedId(string reply) => reply[(reply.LastIndexOf(' ') + 1)..];

    private static async Task<string> CommandAsync(WireClient client, string command)
    {
        await client.WriteAsync(command + "\r\n");
        return await LastLineAsync(client);
    }

    private static async Task<string> LastLineAsync(WireClient client) => (await client.ReadReplyAsync())[^1];
}
