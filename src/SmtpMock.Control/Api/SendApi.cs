using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MimeKit;
using SmtpMock.Control.Hosting;

namespace SmtpMock.Control.Api;

internal sealed record SendRequest(string? From, string[]? To, string? Subject, string? Text);

internal sealed record SendResult(long? SessionId, string[] Replies);

/// <summary>
/// POST /api/v1/send: the page's "send a test message". The server sends to its own SMTP port over a real connection,
/// so the active scenario applies and the session shows up like any other.
/// </summary>
internal sealed class SendApi(ControlState state)
{
    public void Map(IEndpointRouteBuilder api) => api.MapPost("/send", new RequestDelegate(SendAsync));

    private async Task SendAsync(HttpContext context)
    {
        SendRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync(ControlJson.Readable.SendRequest, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            await Http.BadRequest(context, $"send a JSON object {{from, to[], subject, text}}: {e.Message}").ConfigureAwait(false);
            return;
        }

        if (request?.From is null || request.To is not { Length: > 0 } || !MailboxAddress.TryParse(request.From, out var from)
            || request.To.Any(t => !MailboxAddress.TryParse(t, out _)))
        {
            await Http.BadRequest(context, "'from' and at least one 'to' must be mail addresses").ConfigureAwait(false);
            return;
        }

        var message = new MimeMessage { Subject = request.Subject ?? string.Empty, Body = new TextPart("plain") { Text = request.Text ?? string.Empty } };
        message.From.Add(from);
        message.To.AddRange(request.To.Select(MailboxAddress.Parse));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var (local, replies) = await SelfSmtp.SendAsync(Target(), from.Address, [.. message.To.Mailboxes.Select(m => m.Address)], message, timeout.Token).ConfigureAwait(false);
        var session = local is null ? null
            : state.Server.OpenSessions.Concat(state.Server.FinishedSessions).FirstOrDefault(s => s.ClientText == local.ToString());
        await Http.Json(context, new SendResult(session?.Id, [.. replies]), ControlJson.Readable.SendResult).ConfigureAwait(false);
    }

    private IPEndPoint Target()
    {
        var endPoint = state.Server.EndPoint;
        return endPoint.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, endPoint.Port)
            : endPoint.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, endPoint.Port)
            : endPoint;
    }
}

/// <summary>The few lines of SMTP client the send form needs: each command and reply is recorded, the first refusal ends it.</summary>
internal static class SelfSmtp
{
    public static async Task<(EndPoint? Local, List<string> Lines)> SendAsync(IPEndPoint target, string from, string[] to, MimeMessage message, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        using var client = new TcpClient(target.AddressFamily);
        try
        {
            await client.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            var local = client.Client.LocalEndPoint;
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.UTF8);
            async Task<bool> Reply(int expect)
            {
                string? line;
                do
                {
                    line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                    if (line is null)
                    {
                        lines.Add("-- the server closed the connection");
                        return false;
                    }

                    lines.Add("S: " + line);
                }
                while (line.Length > 3 && line[3] == '-');
                return line.StartsWith((char)('0' + expect));
            }

            async Task<bool> Command(string command, int expect)
            {
                lines.Add("C: " + command);
                await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), cancellationToken).ConfigureAwait(false);
                return await Reply(expect).ConfigureAwait(false);
            }

            var ok = await Reply(2).ConfigureAwait(false) && await Command("EHLO smtpmock-page", 2).ConfigureAwait(false) && await Command($"MAIL FROM:<{from}>", 2).ConfigureAwait(false);
            var accepted = 0;
            foreach (var recipient in ok ? to : [])
            {
                accepted += await Command($"RCPT TO:<{recipient}>", 2).ConfigureAwait(false) ? 1 : 0;
            }

            if (ok && accepted > 0 && await Command("DATA", 3).ConfigureAwait(false))
            {
                using var content = new MemoryStream();
                var format = FormatOptions.Default.Clone();
                format.NewLineFormat = NewLineFormat.Dos;
                message.WriteTo(format, content, cancellationToken);
                var body = DotStuffed(content.ToArray());
                await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
                lines.Add($"C: ({body.Length} octets of message)");
                await Command(".", 2).ConfigureAwait(false);
            }

            if (client.Connected)
            {
                await Command("QUIT", 2).ConfigureAwait(false);
            }

            return (local, lines);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            lines.Add($"-- {e.Message}");
            return (client.Client?.LocalEndPoint, lines);
        }
    }

    /// <summary>RFC 5321 4.5.2: a line starting with a dot gets one more; the content ends with CRLF.</summary>
    private static byte[] DotStuffed(byte[] content)
    {
        using var stuffed = new MemoryStream(content.Length + 16);
        var lineStart = true;
        foreach (var b in content)
        {
            if (lineStart && b == (byte)'.')
            {
                stuffed.WriteByte((byte)'.');
            }

            stuffed.WriteByte(b);
            lineStart = b == (byte)'\n';
        }

        if (!lineStart)
        {
            stuffed.Write("\r\n"u8);
        }

        return stuffed.ToArray();
    }
}
