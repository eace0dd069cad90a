using System.Net;
using Microsoft.AspNetCore.Http;
using SmtpMock.Control.Api;

namespace SmtpMock.Control.Hosting;

/// <summary>Marks an endpoint anyone may call: the health probes and the page's own files (they hold no data).</summary>
internal sealed class OpenEndpoint
{
    public static readonly OpenEndpoint Instance = new();
}

/// <summary>Marks the events stream: EventSource cannot send headers, so its token may come as <c>?access_token=</c>.</summary>
internal sealed class TokenInQuery
{
    public static readonly TokenInQuery Instance = new();
}

/// <summary>
/// What every request passes before it reaches an endpoint: security headers on every answer; a Host this server
/// answers to (DNS rebinding); no change from another origin; and, once routing has said which endpoint it is, no
/// cross-site fetch and the bearer token. Access is decided by the endpoint's metadata, never by comparing path
/// strings (<c>/metrics/</c> and <c>/Metrics</c> once skipped the token).
/// </summary>
internal sealed class RequestGate(ControlOptions options)
{
    // style-src allows inline styles for one reason: a message's HTML is shown in a sandboxed srcdoc frame, which
    // inherits this policy, and mail is styled inline. The page itself builds no HTML from data (text nodes
    // only), scripts stay 'self', and with default-src 'none' no style can fetch anything to leak data through.
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly string[] HealthPaths = ["/healthz", "/livez", "/readyz"];

    /// <summary>Before routing: headers, the Host, the origin of a change, and requests the server could not read.</summary>
    public async Task BeforeRoutingAsync(HttpContext context, RequestDelegate next)
    {
        Secure(context.Response);
        var request = context.Request;
        if (!IsAllowedHost(request.Host.Host) && !HealthPaths.Contains(request.Path.Value, StringComparer.Ordinal))
        {
            await Http.Problem(context, StatusCodes.Status421MisdirectedRequest, "Misdirected request",
                $"this server does not answer to the name '{request.Host.Host}' (a page on another site may have pointed its name at this address): use an IP address or localhost, or start smtpmock with --http-allowed-host {request.Host.Host}").ConfigureAwait(false);
            return;
        }

        if (FromAnotherOrigin(request))
        {
            await Http.Problem(context, StatusCodes.Status403Forbidden, "Forbidden", "a page from another origin may not change this server (release, delete, send, scenarios): use the SmtpMock page, a test or a tool such as curl").ConfigureAwait(false);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // Kestrel's own refusals keep their status: a body over the limit is 413, one that trickles in too slowly 408.
            context.Response.Clear();
            Secure(context.Response);
            await Http.Problem(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Too large" : "Bad request",
                e.StatusCode == StatusCodes.Status413PayloadTooLarge ? $"the body is over {options.MaxRequestBody} octets (--http-max-body)" : e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // A bug in one request: a problem+json answer, never a dead server or an HTML error page.
            context.Response.Clear();
            Secure(context.Response);
            await Http.Problem(context, StatusCodes.Status500InternalServerError, "Internal error", e.Message).ConfigureAwait(false);
        }
    }

    /// <summary>After routing: open endpoints pass; every other one (an unknown path too) refuses cross-site fetches and needs the token.</summary>
    public async Task AfterRoutingAsync(HttpContext context, RequestDelegate next)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<OpenEndpoint>() is not null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // A page on another site may fetch in no-cors mode and time the answer (a wait answers at once on a match):
        // browsers say where a request comes from; tools send no such header and the page is same-origin.
        if (context.Request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
        {
            await Http.Problem(context, StatusCodes.Status403Forbidden, "Forbidden", "requests from another site may not read this server: use the SmtpMock page, a test or a tool such as curl").ConfigureAwait(false);
            return;
        }

        if (options.ApiToken is not null && !Authorized(context.Request, metadata?.GetMetadata<TokenInQuery>() is not null))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Http.Problem(context, StatusCodes.Status401Unauthorized, "Unauthorized", "send Authorization: Bearer <token> (the --api-token or SMTPMOCK_API_TOKEN value)").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = Policy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>
    /// An IP address (a rebinding page always sends its own name), localhost, or a name the server was given. An empty
    /// Host (HTTP/1.0) names nothing to check.
    /// </summary>
    private bool IsAllowedHost(string host)
    {
        if (host.Length == 0 || IPAddress.TryParse(host.Trim('[', ']'), out _)
            || host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var allowed in options.AllowedHosts)
        {
            if (allowed.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)
                : host.Equals(allowed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A browser on another site (any page the user opens) may send a simple POST here without asking: a request
    /// that changes something and carries an Origin that is not this server's is refused. Tools and tests send no
    /// Origin; the page's own requests carry this server's.
    /// </summary>
    private static bool FromAnotherOrigin(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
        && request.Headers.Origin.ToString() is { Length: > 0 } origin
        && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));

    private bool Authorized(HttpRequest request, bool queryTokenAllowed)
    {
        var given = request.Headers.Authorization.ToString();
        if (given.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            given = given["Bearer ".Length..].Trim();
        }
        else if (queryTokenAllowed && request.Query.TryGetValue("access_token", out var query))
        {
            given = query.ToString();
        }
        else
        {
            return false;
        }

        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(options.ApiToken!));
    }
}
