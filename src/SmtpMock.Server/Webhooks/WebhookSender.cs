using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Webhooks;

/// <summary>An event ready to send: the exact body bytes (serialized once for every target), with its id and type.</summary>
internal readonly record struct QueuedEvent(string Id, string Type, byte[] Body);

/// <summary>What one attempt came to.</summary>
internal enum AttemptResult
{
    Delivered,

    /// <summary>A network error, a timeout, 429 or 5xx: worth trying again.</summary>
    Failed,

    /// <summary>Any other status: the receiver will answer the same again.</summary>
    Refused,
}

internal readonly record struct Attempt(AttemptResult Result, string Reason, TimeSpan? RetryAfter = null);

/// <summary>
/// Makes one POST of one event and says how it went; never throws for what a receiver or the network does. Redirects
/// are not followed (a POST turned into a GET would lose the body), cookies are not kept.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    private static readonly string UserAgent = "SmtpMock/" + ServerVersion.Text;
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _client;
    private readonly byte[]? _key;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public WebhookSender(WebhookOptions options, TimeProvider time)
    {
        _timeout = options.Timeout;
        _time = time;
        _key = options.Secret is null ? null : Encoding.UTF8.GetBytes(options.Secret);
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each attempt has its own limit below, on the injected clock
        };
    }

    public async Task<Attempt> SendAsync(Uri target, QueuedEvent item, string delivery, int attempt, CancellationToken stopping)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(item.Body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.Add(WebhookHeaders.Event, item.Type);
        request.Headers.Add(WebhookHeaders.EventId, item.Id);
        request.Headers.Add(WebhookHeaders.Delivery, delivery);
        request.Headers.Add(WebhookHeaders.Attempt, attempt.ToString(CultureInfo.InvariantCulture));
        if (_key is not null)
        {
            var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.Add(WebhookHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookHeaders.Signature, WebhookSignature.Sign(_key, timestamp, item.Body));
        }

        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        try
        {
            // Headers are enough: the response body is never read (disposing the response drops it).
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and <= 299)
            {
                return new Attempt(AttemptResult.Delivered, $"{status}");
            }

            var reason = $"answered {status}{(string.IsNullOrEmpty(response.ReasonPhrase) ? string.Empty : " " + response.ReasonPhrase)}";
            return status is 429 or >= 500
                ? new Attempt(AttemptResult.Failed, reason, Backoff.RetryAfter(response.Headers.RetryAfter, _time.GetUtcNow()))
                : new Attempt(AttemptResult.Refused, status is >= 300 and <= 399 ? reason + ", a redirect: webhooks do not follow them" : reason);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // Ours or the handler's connect timeout: the receiver did not answer in time.
            return new Attempt(AttemptResult.Failed, $"no answer within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException e)
        {
            return new Attempt(AttemptResult.Failed, e.Message);
        }
    }

    public void Dispose() => _client.Dispose();
}
