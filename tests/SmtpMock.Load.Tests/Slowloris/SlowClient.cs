using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpMock.Load.Tests.Slowloris;

/// <summary>
/// A slowloris connection: set up at normal speed (greeting, EHLO, and for <see cref="Where.InData"/> MAIL, RCPT,
/// DATA and its 354), then one byte a second of a command line or of message content that never ends, until the
/// server closes the connection. It sends at most <see cref="MaxBytes"/> bytes.
/// </summary>
internal sealed class SlowClient : IDisposable
{
    /// <summary>A minute of trickling: longer than any deadline these tests set.</summary>
    public const int MaxBytes = 60;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly RawConnection _connection;
    private readonly byte[] _trickle;
    private readonly Stopwatch _sinceSetUp = Stopwatch.StartNew();

    private SlowClient(RawConnection connection, Where where, byte[] trickle)
    {
        _connection = connection;
        At = where;
        _trickle = trickle;
    }

    public enum Where
    {
        /// <summary>A command line, one byte a second: the command timeout ends it.</summary>
        InCommand,

        /// <summary>Message content after 354, one byte a second (never silent for the data timeout): the message deadline ends it.</summary>
        InData,
    }

    public Where At { get; }

    /// <summary>Bytes trickled so far.</summary>
    public int Sent { get; private set; }

    /// <summary>The server has not closed the connection yet.</summary>
    public bool Open { get; private set; } = true;

    public static async Task<SlowClient> OpenAsync(IPEndPoint server, Where where, int number)
    {
        var connection = await RawConnection.ConnectAsync(server);
        try
        {
            var tag = number.ToString(CultureInfo.InvariantCulture);
            Assert.That(await connection.ReadReplyAsync(), Does.StartWith("220 "), "greeting");
            await connection.CommandAsync($"EHLO slow{tag}.test", "250 ");
            string trickle;
            if (where == Where.InData)
            {
                await connection.SendAsync($"MAIL FROM:<slow{tag}@example.com>\r\nRCPT TO:<r{tag}@example.org>\r\nDATA\r\n");
                Assert.That(await connection.ReadReplyAsync(), Does.StartWith("250 "), "MAIL");
                Assert.That(await connection.ReadReplyAsync(), Does.StartWith("250 "), "RCPT");
                Assert.That(await connection.ReadReplyAsync(), Does.StartWith("354 "), "DATA");
                trickle = $"Subject: slow {tag}\r\n\r\n" + string.Concat(Enumerable.Repeat("more\r\n", MaxBytes / 6));
            }
            else
            {
                trickle = $"MAIL FROM:<slow{tag}-{new string('x', MaxBytes)}@example.com>\r\n";
            }

            return new SlowClient(connection, where, Encoding.ASCII.GetBytes(trickle[..MaxBytes]));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trickles one byte a second from now until the server closes the connection; returns what the server sent
    /// last and when it closed, timed from the end of the set-up (just after the server's clock for the command or
    /// the message started). Fails after <paramref name="limit"/>.
    /// </summary>
    public async Task<(string Tail, TimeSpan SinceSetUp)> TrickleUntilClosedAsync(TimeSpan limit)
    {
        var closed = _connection.ReadUntilClosedAsync(limit);
        using var stop = new CancellationTokenSource();
        using var timer = new PeriodicTimer(Interval);
        var trickling = Task.Run(async () =>
        {
            try
            {
                for (; Sent < _trickle.Length && await timer.WaitForNextTickAsync(stop.Token); Sent++)
                {
                    await _connection.SendAsync(_trickle.AsMemory(Sent, 1), stop.Token);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // The server closed the connection (EPIPE, ECONNRESET), or it was seen closed.
            }
        });
        try
        {
            var ended = await closed;
            return (ended.Tail, _sinceSetUp.Elapsed);
        }
        finally
        {
            Open = false;
            await stop.CancelAsync();
            await trickling;
        }
    }

    public void Dispose() => _connection.Dispose();
}
