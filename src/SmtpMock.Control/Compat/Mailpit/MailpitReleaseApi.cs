using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MimeKit;
using SmtpMock.Control.Api;
using SmtpMock.Server.Relay;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>
/// POST /api/v1/message/{ID}/release with <c>{"To":[...]}</c>: our release (the relay named by <c>--relay</c>, and
/// only there) in Mailpit's words: <c>ok</c>, or 400 with the reason. <c>latest</c> is the newest message.
/// </summary>
internal sealed class MailpitReleaseApi(MailpitState state)
{
    public void Map(IEndpointRouteBuilder app) => app.MapPost("/api/v1/message/{id}/release", new RequestDelegate(ReleaseAsync));

    private async Task ReleaseAsync(HttpContext context)
    {
        var id = context.Request.RouteValues["id"] as string ?? string.Empty;
        var message = id == "latest"
            ? (await state.Store.QueryAsync(Server.Capture.MessageQuery.All with { Limit = 1 }, context.RequestAborted).ConfigureAwait(false)).Items.FirstOrDefault()
            : await state.Store.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (message is null)
        {
            await MailpitReplies.NotFound(context).ConfigureAwait(false);
            return;
        }

        var (request, error) = await MailpitBodies.ReadAsync(context, MailpitJson.Go.MailpitReleaseRequest).ConfigureAwait(false);
        if (request is null)
        {
            await MailpitReplies.Error(context, error!).ConfigureAwait(false);
            return;
        }

        var recipients = new List<MailboxAddress>();
        foreach (var address in request.To ?? [])
        {
            if (!MailboxAddress.TryParse(address, out var mailbox))
            {
                await MailpitReplies.Error(context, $"Invalid email address: {address}").ConfigureAwait(false);
                return;
            }

            recipients.Add(mailbox);
        }

        if (recipients.Count == 0)
        {
            await MailpitReplies.Error(context, "No valid addresses found").ConfigureAwait(false);
            return;
        }

        if (state.Control.Relay is not { } relay)
        {
            await MailpitReplies.Error(context, "SMTP error: releasing needs a relay: start smtpmock with --relay HOST[:PORT]").ConfigureAwait(false);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var outcome = await RelayClient.SendAsync(relay, new MailboxAddress(string.Empty, message.Sender.Address), recipients, message, timeout.Token).ConfigureAwait(false);
        if (!outcome.Accepted)
        {
            var reason = outcome.Hint ?? outcome.Lines.LastOrDefault() ?? "no dialog";
            ReleaseLog.Failed(state.Logger, message.Id, relay.ToString(), reason);
            await MailpitReplies.Error(context, $"SMTP error: {reason}").ConfigureAwait(false);
            return;
        }

        ReleaseLog.Released(state.Logger, message.Id, relay.ToString(), recipients.Count);
        await MailpitReplies.Ok(context).ConfigureAwait(false);
    }
}
