using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmtpMock.Load.Tests.Harness;

/// <summary>The server's HTTP side as these tests read it (docs/api.md): the captured messages, page by page, and /metrics.</summary>
internal sealed class MockHttp(int port) : IDisposable
{
    private const int PageSize = 1000;
    private const int MaxPages = 1000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public int Port => port;

    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Every kept message, newest first: <c>GET /api/v1/messages?limit=1000</c>, then its <c>nextCursor</c> until null.</summary>
    public async Task<IReadOnlyList<ListedMessage>> MessagesAsync()
    {
        var all = new List<ListedMessage>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var query = $"api/v1/messages?limit={PageSize.ToString(CultureInfo.InvariantCulture)}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var listed = await _http.GetFromJsonAsync<MessagePage>(query, Json) ?? throw new AssertionException($"GET {query} answered null");
            all.AddRange(listed.Items);
            cursor = listed.NextCursor;
            if (cursor is null)
            {
                return all;
            }
        }

        throw new AssertionException($"more than {MaxPages} pages of messages");
    }

    /// <summary><c>DELETE /api/v1/messages</c>: forget every kept message (204).</summary>
    public async Task DeleteMessagesAsync()
    {
        using var response = await _http.DeleteAsync("api/v1/messages");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "DELETE /api/v1/messages");
    }

    /// <summary>The value of one /metrics series (summed over its labels), or null when /metrics does not show it.</summary>
    public async Task<double?> MetricAsync(string name)
    {
        var text = await _http.GetStringAsync("metrics");
        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > name.Length && line.StartsWith(name, StringComparison.Ordinal) && line[name.Length] is ' ' or '{')
            {
                sum = (sum ?? 0) + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    public void Dispose() => _http.Dispose();

    private sealed record MessagePage(IReadOnlyList<ListedMessage> Items, string? NextCursor);
}

/// <summary>One message of the list, as much of it as these tests compare.</summary>
internal sealed record ListedMessage(string Id, long SessionId, string? Subject);
