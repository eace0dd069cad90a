using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using MimeKit;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Relay;

namespace SmtpMock.Control.Api;

internal sealed record ReleaseRequest(string[]? To);

internal sealed record ReleaseResult(string Relay, bool Accepted, string[] Recipients, string[] Replies)
{
    /// <summary>When the release failed for a reason with a known fix: what to do (a certificate to trust, content the relay cannot carry).</summary>
    public string? Detail { get; init; }
}

/// <summary>
/// POST /api/v1/messages/{id}/release: sends a captured message on to the relay named at start (<c>--relay</c>), to
/// its own recipients or to those the request gives. 200 when the relay took it, 502 with the dialog when it did not.
/// </summary>
internal sealed class ReleaseApi(ControlState state)
{
    public void Map(IEndpointRouteBuilder api) => api.MapPost("/messages/{id}/release", ReleaseAsync);

    /// <summary>
    /// The optional body is read here rather than bound: no relay (409) and an unknown message (404) are said before
    /// anything about the body, and a body that is not JSON is refused (415) instead of being taken for no body.
    /// </summary>
    private async Task<Results<JsonHttpResult<ReleaseResult>, ProblemHttpResult>> ReleaseAsync(string id, HttpContext context, CancellationToken aborted)
    {
        if (state.Options.Relay is not { } relay)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "No relay", "releasing needs a relay: start smtpmock with --relay HOST[:PORT]");
        }

        if (await state.Server.Messages.GetAsync(id, aborted).ConfigureAwait(false) is not { } message)
        {
            return Problems.NotFound($"no kept message has the id {id}");
        }

        // A body that is not JSON (curl -d without the header sends a form type) would be dropped, and the message
        // released to its own recipients instead of the ones it names.
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody is true;
        if (hasBody && !context.Request.HasJsonContentType())
        {
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "send the body {to[]} as Content-Type: application/json, or no body for the message's own recipients");
        }

        ReleaseRequest? request = null;
        try
        {
            if (hasBody)
            {
                request = await context.Request.ReadFromJsonAsync(ControlJson.Readable.ReleaseRequest, aborted).ConfigureAwait(false);
            }
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"send nothing, or a JSON object {{to[]}}: {e.Message}");
        }

        if (!TryRecipients(request, message, out var recipients, out var error))
        {
            return Problems.BadRequest(error);
        }

        // The envelope sender goes on as it came; the null path of a bounce (<>) stays null.
        var sender = new MailboxAddress(string.Empty, message.Sender.Address);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var outcome = await RelayClient.SendAsync(relay, sender, recipients, message, timeout.Token).ConfigureAwait(false);
        var result = new ReleaseResult(relay.ToString(), outcome.Accepted, [.. recipients.Select(r => r.Address)], [.. outcome.Lines]) { Detail = outcome.Hint };
        if (outcome.Accepted)
        {
            ReleaseLog.Released(state.Logger, message.Id, relay.ToString(), recipients.Count);
        }
        else
        {
            ReleaseLog.Failed(state.Logger, message.Id, relay.ToString(), outcome.Hint ?? outcome.Lines.LastOrDefault() ?? "no dialog");
        }

        // 502 with the dialog when the relay did not take it: the body says what happened either way.
        return TypedResults.Json(result, ControlJson.Readable.ReleaseResult, statusCode: outcome.Accepted ? StatusCodes.Status200OK : StatusCodes.Status502BadGateway);
    }

    /// <summary>
    /// Where a release goes: the addresses the request names, or the message's own recipients when it names none; or
    /// why not (an empty list, something that is not a mail address).
    /// </summary>
    internal static bool TryRecipients(ReleaseRequest? request, CapturedMessage message, out List<MailboxAddress> recipients, [NotNullWhen(false)] out string? error)
    {
        recipients = [];
        if (request?.To is { Length: 0 })
        {
            // An empty list is more likely a script's bug than a wish for the message's own recipients: leave 'to' out for those.
            error = "'to' is empty: give at least one address, or leave 'to' out for the message's own recipients";
            return false;
        }

        var addresses = request?.To is { } given ? given : [.. message.Recipients.Select(r => r.Address)];
        foreach (var address in addresses)
        {
            if (!MailboxAddress.TryParse(address, out var mailbox))
            {
                error = $"'{address}' is not a mail address";
                return false;
            }

            recipients.Add(mailbox);
        }

        error = null;
        return true;
    }
}

/// <summary>What a release tells the console: one line when a message went, one with the reason when it did not.</summary>
internal static partial class ReleaseLog
{
    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 400, Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "message {Id} released to {Relay} ({Recipients} recipients)")]
    public static partial void Released(Microsoft.Extensions.Logging.ILogger logger, string id, string relay, int recipients);

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 401, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "release of message {Id} to {Relay} failed: {Reason}")]
    public static partial void Failed(Microsoft.Extensions.Logging.ILogger logger, string id, string relay, string reason);
}
