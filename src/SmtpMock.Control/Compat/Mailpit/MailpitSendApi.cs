using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MimeKit;
using SmtpMock.Control.Api;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>
/// POST /api/v1/send with Mailpit's body: the message is built with MimeKit and sent to the server's own SMTP port over
/// a real connection (as our own send does), so the active scenario, chaos included, applies to it. 200 <c>{"ID"}</c>
/// with the id the server gave; errors are 400 <c>{"Error"}</c> as Mailpit's.
/// </summary>
internal sealed partial class MailpitSendApi(MailpitState state)
{
    private static readonly string[] Reserved = ["To", "From", "Cc", "Bcc", "Reply-To", "Date", "Subject", "Content-Type", "Mime-Version"];

    public void Map(IEndpointRouteBuilder app) => app.MapPost("/api/v1/send", new RequestDelegate(SendAsync));

    private async Task SendAsync(HttpContext context)
    {
        var (request, error) = await MailpitBodies.ReadAsync(context, MailpitJson.Go.MailpitSendRequest).ConfigureAwait(false);
        var (message, recipients) = request is null ? (null, []) : Build(request, out error);
        if (message is null)
        {
            await Fail(context, error!).ConfigureAwait(false);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var from = message.From.Mailboxes.First().Address;
        var (_, lines) = await SelfSmtp.SendAsync(SelfSmtp.Target(state.Server), from, recipients, message, timeout.Token).ConfigureAwait(false);
        var queued = lines.Select(l => Queued().Match(l)).LastOrDefault(m => m.Success);
        if (queued is null)
        {
            await Fail(context, $"the SMTP server did not accept the message: {lines.LastOrDefault(l => l.StartsWith("S: ", StringComparison.Ordinal)) ?? "no reply"}").ConfigureAwait(false);
            return;
        }

        await MailpitReplies.Json(context, new MailpitSendResult(queued.Groups[1].Value), MailpitJson.Go.MailpitSendResult).ConfigureAwait(false);
    }

    private static Task Fail(HttpContext context, string error) =>
        MailpitReplies.Json(context, new MailpitError(error), MailpitJson.Go.MailpitError, StatusCodes.Status400BadRequest);

    /// <summary>The message and its envelope recipients (To, Cc and Bcc), or null and Mailpit's error text.</summary>
    private static (MimeMessage? Message, string[] Recipients) Build(MailpitSendRequest request, out string? error)
    {
        error = null;
        if (request.From?.Email is not { Length: > 0 } fromEmail || !MailboxAddress.TryParse(fromEmail, out var from))
        {
            error = $"invalid From address: {request.From?.Email}";
            return (null, []);
        }

        from.Name = request.From.Name ?? string.Empty;
        var message = new MimeMessage { Subject = request.Subject ?? string.Empty };
        message.From.Add(from);
        if (!Add(message.To, request.To, "To", ref error) || !Add(message.Cc, request.Cc, "Cc", ref error)
            || !Add(message.Bcc, request.Bcc?.Select(b => new MailpitSendAddress(b, null)).ToArray(), "Bcc", ref error)
            || !Add(message.ReplyTo, request.ReplyTo, "Reply-To", ref error))
        {
            return (null, []);
        }

        foreach (var (name, value) in request.Headers ?? [])
        {
            if (Reserved.Contains(name, StringComparer.OrdinalIgnoreCase) || (request.Tags is { Length: > 0 } && name.Equals("X-Tags", StringComparison.OrdinalIgnoreCase)))
            {
                error = $"cannot overwrite header: \"{name}\"";
                return (null, []);
            }

            message.Headers.Add(name, value);
        }

        if (request.Tags is { Length: > 0 } tags)
        {
            message.Headers.Add("X-Tags", string.Join(", ", tags));
        }

        var body = new BodyBuilder { TextBody = request.Text, HtmlBody = string.IsNullOrEmpty(request.HTML) ? null : request.HTML };
        foreach (var attachment in request.Attachments ?? [])
        {
            if (!TryDecode(attachment.Content, out var bytes))
            {
                error = $"invalid attachment content (base64): {attachment.Filename}";
                return (null, []);
            }

            var name = attachment.Filename ?? string.Empty;
            var type = ContentType.Parse(string.IsNullOrEmpty(attachment.ContentType) ? MimeTypes.GetMimeType(name) : attachment.ContentType);
            var part = string.IsNullOrEmpty(attachment.ContentID) ? body.Attachments.Add(name, bytes, type) : body.LinkedResources.Add(name, bytes, type);
            if (!string.IsNullOrEmpty(attachment.ContentID))
            {
                part.ContentId = attachment.ContentID;
            }
        }

        message.Body = body.ToMessageBody();
        string[] recipients = [.. message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes).Select(m => m.Address)];
        if (recipients.Length == 0)
        {
            error = "no recipients: give at least one To, Cc or Bcc address";
            return (null, []);
        }

        return (message, recipients);
    }

    private static bool Add(InternetAddressList list, MailpitSendAddress[]? addresses, string field, ref string? error)
    {
        foreach (var address in addresses ?? [])
        {
            if (address.Email is null || !MailboxAddress.TryParse(address.Email, out var mailbox))
            {
                error = $"invalid {field} address: {address.Email}";
                return false;
            }

            mailbox.Name = address.Name ?? string.Empty;
            list.Add(mailbox);
        }

        return true;
    }

    /// <summary>Base64, with a <c>data:...;base64,</c> prefix allowed (the text after the last comma is used).</summary>
    private static bool TryDecode(string? content, out byte[] bytes)
    {
        var text = content ?? string.Empty;
        text = text[(text.LastIndexOf(',') + 1)..];
        bytes = new byte[text.Length * 3 / 4 + 3];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"^S: 250 .*queued as (\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex Queued();
}
