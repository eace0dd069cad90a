using System.Net;
using System.Net.Sockets;
using MailKit.Security;
using MimeKit;
using SmtpMock.Server.Relay;

namespace SmtpMock.Control.Api;

/// <summary>
/// The send form's way to the mock's own port: a <see cref="DialogSmtpClient"/> over a socket connected here, so its
/// local port names the session it makes. Plaintext: the form tests the scenario, not TLS.
/// </summary>
internal static class SelfSmtp
{
    /// <summary>The server's own SMTP port, as a client on this machine reaches it (loopback for an every-interface listener).</summary>
    public static IPEndPoint Target(SmtpMock.Server.Hosting.SmtpMockServer server)
    {
        var endPoint = server.EndPoint;
        return endPoint.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, endPoint.Port)
            : endPoint.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, endPoint.Port)
            : endPoint;
    }

    public static async Task<(EndPoint? Local, IReadOnlyList<string> Lines)> SendAsync(IPEndPoint target, string from, string[] to, MimeMessage message, CancellationToken cancellationToken)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var client = new DialogSmtpClient { LocalDomain = "smtpmock-page" };
        EndPoint? local = null;
        await client.RunAsync(
            async c =>
            {
                await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
                local = socket.LocalEndPoint;
                await c.ConnectAsync(socket, target.Address.ToString(), target.Port, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
                await c.SendAsync(message, MailboxAddress.Parse(from), to.Select(MailboxAddress.Parse), cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return (local, client.Lines);
    }
}
