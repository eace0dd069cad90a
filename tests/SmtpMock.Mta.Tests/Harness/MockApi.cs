using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;

namespace SmtpMock.Mta.Tests.Harness;

/// <summary>SmtpMock's HTTP API (docs/api.md), the parts these tests read: messages, sessions and retries by client.</summary>
internal sealed class MockApi(Uri baseAddress) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseAddress, "api/v1/") };

    /// <summary>Every kept message, newest first; with <paramref name="to"/>, those with a recipient containing it.</summary>
    public async Task<IReadOnlyList<MessageSummary>> MessagesAsync(string? to = null)
    {
        var query = to is null ? "messages?limit=1000" : $"messages?limit=1000&to={Uri.EscapeDataString(to)}";
        return (await GetAsync<MessagePage>(query)).Items;
    }

    /// <summary><c>/messages/wait</c>: returns once <paramref name="count"/> messages to <paramref name="to"/> are kept; fails the test on its 408.</summary>
    public async Task<IReadOnlyList<MessageSummary>> WaitForMessagesAsync(int count, string to, TimeSpan limit)
    {
        var seconds = ((int)Math.Ceiling(limit.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        using var response = await _http.GetAsync(
            $"messages/wait?count={count.ToString(CultureInfo.InvariantCulture)}&to={Uri.EscapeDataString(to)}&timeout={seconds}s&limit=1000");
        if (response.StatusCode == HttpStatusCode.RequestTimeout)
        {
            throw new AssertionException($"SmtpMock did not capture {count} message(s) to '{to}' within {seconds} s: {await response.Content.ReadAsStringAsync()}");
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<MessagePage>(Json))!.Items;
    }

    /// <summary>The captured bytes of a message, parsed by MimeKit.</summary>
    public async Task<MimeMessage> RawAsync(string messageId)
    {
        await using var raw = await _http.GetStreamAsync($"messages/{Uri.EscapeDataString(messageId)}/raw");
        return await MimeMessage.LoadAsync(raw);
    }

    public Task<IReadOnlyList<SessionSummary>> SessionsAsync() => GetAsync<IReadOnlyList<SessionSummary>>("sessions");

    public Task<SessionDetail> SessionAsync(long id) => GetAsync<SessionDetail>($"sessions/{id.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Every kept session with its transcript, oldest first.</summary>
    public async Task<IReadOnlyList<SessionDetail>> SessionDetailsAsync()
    {
        var sessions = await SessionsAsync();
        var details = new List<SessionDetail>();
        foreach (var session in sessions.OrderBy(s => s.Id))
        {
            details.Add(await SessionAsync(session.Id));
        }

        return details;
    }

    /// <summary><c>/clients</c>: delivery attempts grouped by client IP + sender + recipient.</summary>
    public Task<IReadOnlyList<ClientAttempts>> ClientsAsync(string recipient) =>
        GetAsync<IReadOnlyList<ClientAttempts>>($"clients?recipient={Uri.EscapeDataString(recipient)}");

    public void Dispose() => _http.Dispose();

    private async Task<T> GetAsync<T>(string path) =>
        await _http.GetFromJsonAsync<T>(path, Json) ?? throw new AssertionException($"GET {path} answered null");

    private sealed record MessagePage(IReadOnlyList<MessageSummary> Items);
}

internal sealed record MessageSummary(string Id, long SessionId, string From, IReadOnlyList<string> To, string? Subject);

internal sealed record SessionSummary(long Id, string? HeloName, int Messages, string? EndReason);

internal sealed record SessionDetail(long Id, string? HeloName, int Messages, string? EndReason, IReadOnlyList<TranscriptLine> Transcript)
{
    /// <summary>The lines the client sent.</summary>
    public IEnumerable<string> In => Transcript.Where(l => l.Direction == "in").Select(l => l.Line);

    public override string ToString() =>
        $"session {Id} ({EndReason}):{Environment.NewLine}{string.Join(Environment.NewLine, Transcript.Select(l => $"  {l.Direction} {l.Line}"))}";
}

internal sealed record TranscriptLine(string Direction, string Line, string? Rule);

internal sealed record ClientAttempts(string Recipient, IReadOnlyList<Attempt> Attempts);

internal sealed record Attempt(long SessionId, DateTimeOffset At, string Reply, string? Rule);
