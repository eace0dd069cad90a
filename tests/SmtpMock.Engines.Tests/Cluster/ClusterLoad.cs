using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>What one attempt at sending a message came to.</summary>
internal enum AttemptOutcome
{
    /// <summary>250 at the end of DATA: the server took it.</summary>
    Accepted,

    /// <summary>A reply that refused it (a 4xx or 5xx to RCPT, DATA or the end of DATA): the server said it did not take it.</summary>
    Refused,

    /// <summary>No answer: the connection failed or closed somewhere along the way, so the client cannot know.</summary>
    Lost,
}

/// <summary>
/// One attempt: the message's number, the attempt's own id (the message's subject: <c>m00042.3</c> is the third
/// attempt at message 42, so every attempt can be found in the store on its own), what came of it and when
/// (<see cref="Stopwatch"/> timestamps).
/// </summary>
internal sealed record Attempt(int Message, string Id, AttemptOutcome Outcome, int Code, string Reply, long Started, long Ended);

/// <summary>
/// A bounded load through one port: <c>senders</c> MailKit clients, each keeping its connection, take messages
/// 1..<c>messages</c> in turn; an attempt that fails or gets a 4xx is tried again with a new id (on a new connection
/// when the old one is gone), a 5xx ends that message. Every attempt is recorded. Bounded by the count, the
/// attempts per message and the caller's token.
/// </summary>
internal sealed class ClusterLoad(int port, int messages, int senders, Func<int, string> recipientOf)
{
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private int _next;
    private int _accepted;
    private int _refused;
    private int _gaveUp;

    /// <summary>Attempts at one message before it is given up (a client that retries for ever is not bounded).</summary>
    public int MaxAttempts { get; init; } = 10_000;

    public IReadOnlyCollection<Attempt> Attempts => _attempts;

    public int Accepted => Volatile.Read(ref _accepted);

    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Messages whose attempts ran out before one was accepted or refused for good.</summary>
    public int GaveUp => Volatile.Read(ref _gaveUp);

    /// <summary>Starts the senders; <see cref="FinishAsync"/> waits for them.</summary>
    public Task Start(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(() => SendAllAsync(cancellationToken), cancellationToken)));

    /// <summary>Waits for <paramref name="running"/> (from <see cref="Start"/>); a load cut off by its token fails the test with <paramref name="failure"/>.</summary>
    public async Task FinishAsync(Task running, Func<string, string> failure)
    {
        try
        {
            await running;
        }
        catch (OperationCanceledException e)
        {
            throw new AssertionException(failure($"the load was cut off by its deadline: {Accepted} acknowledged, {Refused} refused of {messages}"), e);
        }
    }

    private async Task SendAllAsync(CancellationToken cancellationToken)
    {
        SmtpClient? smtp = null;
        try
        {
            int message;
            while ((message = Interlocked.Increment(ref _next)) <= messages && !cancellationToken.IsCancellationRequested)
            {
                smtp = await SendOneAsync(smtp, message, cancellationToken);
            }
        }
        finally
        {
            smtp?.Dispose();
        }
    }

    /// <summary>Attempts <paramref name="message"/> until it is accepted or refused for good; returns the connection to go on with.</summary>
    private async Task<SmtpClient?> SendOneAsync(SmtpClient? smtp, int message, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = $"m{message:D5}.{attempt}";
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (smtp is not { IsConnected: true })
                {
                    smtp?.Dispose();
                    smtp = new SmtpClient { Timeout = 30_000 };
                    await smtp.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None, cancellationToken);
                }

                await smtp.SendAsync(ClusterMail.Message(recipientOf(message), id), cancellationToken);
                Record(message, id, AttemptOutcome.Accepted, 250, "", started);
                Interlocked.Increment(ref _accepted);
                return smtp;
            }
            catch (SmtpCommandException e)
            {
                Record(message, id, AttemptOutcome.Refused, (int)e.StatusCode, e.Message, started);
                if ((int)e.StatusCode >= 500)
                {
                    Interlocked.Increment(ref _refused);
                    return smtp;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException or TimeoutException)
            {
                Record(message, id, AttemptOutcome.Lost, 0, $"{e.GetType().Name}: {e.Message}", started);
                smtp?.Dispose();
                smtp = null;
            }
        }

        Interlocked.Increment(ref _gaveUp);
        return smtp;
    }

    private void Record(int message, string id, AttemptOutcome outcome, int code, string reply, long started) =>
        _attempts.Enqueue(new Attempt(message, id, outcome, code, reply, started, Stopwatch.GetTimestamp()));
}
