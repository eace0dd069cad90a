using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MimeKit;
using SmtpMock.Control.Api;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Relay;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>
/// <c>POST /api/v1/messages/{id}/release</c> with MailHog's body <c>{Host, Port, Email, Username, Password, Mechanism}</c>.
/// MailHog sends wherever the request says; SmtpMock releases only to the relay named at start (<c>--relay</c>), so
/// <c>Host</c> and <c>Port</c> must name it (403 otherwise) and <c>Email</c> is the one recipient. A login in the
/// body replaces <c>--relay-user</c>'s for this release. 200 with no body when the relay took it, as MailHog; 500
/// with the relay's last words when it did not.
/// </summary>
internal sealed class MailHogReleaseApi(SmtpMockServer server, RelayTarget? relay)
{
    private static readonly string[] Mechanisms = ["", "PLAIN", "CRAMMD5", "CRAM-MD5", "LOGIN"];

    public void Map(IEndpointRouteBuilder app) => app.MapPost("/api/v1/messages/{id}/release", new RequestDelegate(ReleaseAsync));

    private async Task ReleaseAsync(HttpContext context)
    {
        var id = Http.Route(context, "id")!;
        if (relay is null)
        {
            await Http.Problem(context, StatusCodes.Status409Conflict, "No relay", "releasing needs a relay: start smtpmock with --relay HOST:PORT (MailHog sends wherever a request says; SmtpMock only to the relay named at start)").ConfigureAwait(false);
            return;
        }

        if (await server.Messages.GetAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } message)
        {
            await Http.NotFound(context, $"no kept message has the id {id}").ConfigureAwait(false);
            return;
        }

        // MailHog reads the body whatever its Content-Type says, and the mailhog npm client sends none.
        MailHogRelease? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, MailHogJson.Compact.MailHogRelease, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await Http.BadRequest(context, $"send MailHog's release body {{\"Host\",\"Port\",\"Email\"}} as JSON: {e.Message}").ConfigureAwait(false);
            return;
        }

        if (Check(request, relay, out var target, out var recipient) is { } problem)
        {
            await Http.Problem(context, problem.Status, problem.Title, problem.Detail).ConfigureAwait(false);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var outcome = await RelayClient.SendAsync(target, new MailboxAddress(string.Empty, message.Sender.Address), [recipient], message, timeout.Token).ConfigureAwait(false);
        if (!outcome.Accepted)
        {
            await Http.Problem(context, StatusCodes.Status500InternalServerError, "Not released", $"{target} did not take the message: {outcome.Hint ?? outcome.Lines.LastOrDefault() ?? "no dialog"}").ConfigureAwait(false);
            return;
        }

        await MailHogHttp.Empty(context).ConfigureAwait(false);
    }

    /// <summary>What is wrong with the request, or null with the relay (its login maybe replaced) and the recipient.</summary>
    private static (int Status, string Title, string Detail)? Check(MailHogRelease? request, RelayTarget relay, out RelayTarget target, out MailboxAddress recipient)
    {
        target = relay;
        recipient = null!;
        if (request is null)
        {
            return (StatusCodes.Status400BadRequest, "Bad request", "send MailHog's release body {\"Host\",\"Port\",\"Email\"} as JSON");
        }

        if (request.Host is not { Length: > 0 } host)
        {
            return (StatusCodes.Status400BadRequest, "Bad request", request.Name is { Length: > 0 }
                ? $"saved outgoing servers ('Name': '{request.Name}', MailHog's -outgoing-smtp) are not kept here: give Host and Port, which must name the relay {relay}"
                : $"'Host' is empty: give Host and Port of the relay {relay}");
        }

        if (Port(request.Port) is not { } port)
        {
            return (StatusCodes.Status400BadRequest, "Bad request", "'Port' is a port number, as a string (\"1025\") or a number");
        }

        if (!SameHost(host, relay.Host) || port != relay.Port)
        {
            return (StatusCodes.Status403Forbidden, "Forbidden", $"this server releases only to the relay named at start (--relay {relay}), not to {host}:{port}");
        }

        if (request.Email is null || !MailboxAddress.TryParse(request.Email, out var mailbox))
        {
            return (StatusCodes.Status400BadRequest, "Bad request", $"'Email' is the address to release to, not '{request.Email}'");
        }

        recipient = mailbox;

        if (!Mechanisms.Contains((request.Mechanism ?? string.Empty).ToUpperInvariant()))
        {
            return (StatusCodes.Status400BadRequest, "Bad request", $"'Mechanism' is PLAIN or CRAMMD5 (or empty), not '{request.Mechanism}'");
        }

        if (request.Username is { Length: > 0 } || request.Password is { Length: > 0 })
        {
            target = relay with { User = request.Username ?? string.Empty, Password = request.Password ?? string.Empty };
        }

        return null;
    }

    private static int? Port(JsonElement? port) => port switch
    {
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out var value) && value is >= 1 and <= 65535 => value,
        { ValueKind: JsonValueKind.String } text when int.TryParse(text.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 65535 => value,
        _ => null,
    };

    /// <summary>The same name, or two loopback spellings (<c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c>).</summary>
    private static bool SameHost(string given, string relay) =>
        string.Equals(given.Trim('[', ']'), relay, StringComparison.OrdinalIgnoreCase) || (IsLoopback(given) && IsLoopback(relay));

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
