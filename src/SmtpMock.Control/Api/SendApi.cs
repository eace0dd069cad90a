using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
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
    public void Map(IEndpointRouteBuilder api) => api.MapPost("/send", SendAsync);

    /// <summary>
    /// The body is read here rather than bound: a body that is not JSON, or not JSON of this shape, gets a 400 that
    /// says what to send instead of the framework's bare one.
    /// </summary>
    private async Task<Results<Ok<SendResult>, ProblemHttpResult>> SendAsync(HttpRequest http, CancellationToken aborted)
    {
        SendRequest? request;
        try
        {
            request = await http.ReadFromJsonAsync(ControlJson.Readable.SendRequest, aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Problems.BadRequest($"send a JSON object {{from, to[], subject, text}}: {e.Message}");
        }

        if (!TryCompose(request, state.Server.Options.MaxRecipients, out var from, out var message, out var error))
        {
            return Problems.BadRequest(error);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var (local, replies) = await SelfSmtp.SendAsync(SelfSmtp.Target(state.Server), from.Address, [.. message.To.Mailboxes.Select(m => m.Address)], message, timeout.Token).ConfigureAwait(false);
        var session = local is null ? null
            : state.Server.OpenSessions.Concat(state.Server.FinishedSessions).FirstOrDefault(s => s.ClientText == local.ToString());
        return TypedResults.Ok(new SendResult(session?.Id, [.. replies]));
    }

    /// <summary>
    /// The message a request asks for, or why it cannot be sent: at most <paramref name="maxRecipients"/> recipients,
    /// and a sender and recipients that are mail addresses.
    /// </summary>
    internal static bool TryCompose(SendRequest? request, int maxRecipients, [NotNullWhen(true)] out MailboxAddress? from, [NotNullWhen(true)] out MimeMessage? message, [NotNullWhen(false)] out string? error)
    {
        from = null;
        message = null;
        if (request?.To is { Length: var many } && many > maxRecipients)
        {
            // Every RCPT after the limit would get 452 one by one: 300,000 of them kept a request busy for 30 s.
            error = $"{many} recipients: at most {maxRecipients} (--max-recipients) in one message";
            return false;
        }

        if (request?.From is null || request.To is not { Length: > 0 } || !MailboxAddress.TryParse(request.From, out from)
            || request.To.Any(t => !MailboxAddress.TryParse(t, out _)))
        {
            error = "'from' and at least one 'to' must be mail addresses";
            return false;
        }

        message = new MimeMessage { Subject = request.Subject ?? string.Empty, Body = new TextPart("plain") { Text = request.Text ?? string.Empty } };
        message.From.Add(from);
        message.To.AddRange(request.To.Select(MailboxAddress.Parse));
        error = null;
        return true;
    }
}
