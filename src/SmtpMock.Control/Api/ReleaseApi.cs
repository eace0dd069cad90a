using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using MimeKit;
using SmtpMock.Control.Hosting;

namespace SmtpMock.Control.Api;

internal sealed record ReleaseRequest(string[]? To);

internal sealed record ReleaseResult(string Relay, bool Accepted, string[] Recipients, string[] Replies);

/// <summary>
/// POST /api/v1/messages/{id}/release: sends a captured message on to the relay named at start (<c>--relay</c>), to
/// its own recipients or to those the request gives. 200 when the relay took it, 502 with the dialog when it did not.
/// </summary>
internal sealed class ReleaseApi(ControlState state)
{
    public void Map(IEndpointRouteBuilder api) => api.MapPost("/messages/{id}/release", new RequestDelegate(ReleaseAsync));

    private async Task ReleaseAsync(HttpContext context)
    {
        if (state.Options.Relay is not { } relay)
        {
            await Http.Problem(context, StatusCodes.Status409Conflict, "No relay", "releasing needs a relay: start smtpmock with --relay HOST[:PORT]").ConfigureAwait(false);
            return;
        }

        var id = Http.Route(context, "id")!;
        if (state.Server.Messages.Find(id) is not { } message)
        {
            await Http.NotFound(context, $"no kept message has the id {id}").ConfigureAwait(false);
            return;
        }

        // A body that is not JSON (curl -d without the header sends a form type) would be dropped, and the message
        // released to its own recipients instead of the ones it names.
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody is true;
        if (hasBody && !context.Request.HasJsonContentType())
        {
            await Http.Problem(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "send the body {to[]} as Content-Type: application/json, or no body for the message's own recipients").ConfigureAwait(false);
            return;
        }

        ReleaseRequest? request = null;
        try
        {
            if (hasBody)
            {
                request = await context.Request.ReadFromJsonAsync(ControlJson.Readable.ReleaseRequest, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (JsonException e)
        {
            await Http.BadRequest(context, $"send nothing, or a JSON object {{to[]}}: {e.Message}").ConfigureAwait(false);
            return;
        }

        if (request?.To is { Length: 0 })
        {
            // An empty list is more likely a script's bug than a wish for the message's own recipients: leave 'to' out for those.
            await Http.BadRequest(context, "'to' is empty: give at least one address, or leave 'to' out for the message's own recipients").ConfigureAwait(false);
            return;
        }

        var addresses = request?.To is { } given ? given : [.. message.Recipients.Select(r => r.Address)];
        var recipients = new List<MailboxAddress>();
        foreach (var address in addresses)
        {
            if (!MailboxAddress.TryParse(address, out var mailbox))
            {
                await Http.BadRequest(context, $"'{address}' is not a mail address").ConfigureAwait(false);
                return;
            }

            recipients.Add(mailbox);
        }

        // The envelope sender goes on as it came; the null path of a bounce (<>) stays null.
        var sender = new MailboxAddress(string.Empty, message.Sender.Address);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        // A copy: MailKit re-encodes the message it sends for what the relay offers (8bit parts as base64 without
        // 8BITMIME), and the kept one, which the API and the page show, must stay as it came. Written out and read back
        // from the parsed message, not the kept bytes, so one kept without headers (parsed leniently) goes too.
        using var written = new MemoryStream();
        await message.Message.WriteToAsync(written, context.RequestAborted).ConfigureAwait(false);
        written.Position = 0;
        var copy = await MimeMessage.LoadAsync(written, context.RequestAborted).ConfigureAwait(false);

        var (accepted, lines) = await RelaySmtp.SendAsync(relay, sender, recipients, copy, timeout.Token).ConfigureAwait(false);
        var result = new ReleaseResult(relay.ToString(), accepted, [.. recipients.Select(r => r.Address)], [.. lines]);
        await Http.Json(context, result, ControlJson.Readable.ReleaseResult, accepted ? StatusCodes.Status200OK : StatusCodes.Status502BadGateway).ConfigureAwait(false);
    }
}
