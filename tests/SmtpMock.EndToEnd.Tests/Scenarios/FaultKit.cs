using System.Net.Sockets;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.EndToEnd.Tests.Scenarios;

/// <summary>What the network-fault tests share: a server with an inline scenario, and what a client's failure was made of.</summary>
internal static class FaultKit
{
    /// <summary>A server on 127.0.0.1:0 with this YAML active.</summary>
    public static async Task<SmtpMockServer> StartAsync(string yaml, Func<SmtpServerOptions, SmtpServerOptions>? configure = null)
    {
        var server = await TestServer.StartAsync(configure);
        var (scenario, problems) = ScenarioLoader.Parse(yaml, "inline.yaml");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        server.Scenarios.Activate(scenario);
        return server;
    }

    /// <summary>The socket error somewhere in an exception's chain, or null.</summary>
    public static SocketError? SocketErrorIn(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }

    /// <summary>
    /// Connects, sends <paramref name="dialog"/> in one write and reads until the server ends the connection: null for an
    /// orderly close (FIN), else the socket error it ended with (ConnectionReset for an RST). WireClient cannot say:
    /// it takes a reset for a close.
    /// </summary>
    public static async Task<SocketError?> HowItEndsAsync(System.Net.IPEndPoint server, string dialog)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = TestServer.Timeout();
        await socket.ConnectAsync(server, timeout.Token);
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(dialog), SocketFlags.None, timeout.Token);
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
                // The greeting and the replies before the end.
            }

            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    /// <summary>Waits, up to the test deadline, until the condition holds.</summary>
    public static Task UntilAsync(Func<bool> condition, string what) => Poll.UntilAsync(condition, TestServer.Deadline, what);
}
