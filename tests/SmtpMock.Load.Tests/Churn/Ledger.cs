using System.Collections.Concurrent;

namespace SmtpMock.Load.Tests.Churn;

/// <summary>
/// What the churn's clients were told, message by message (each has a tag, <c>SESSION.N</c>, in its subject
/// <c>churn SESSION.N</c>): accepted with 250 and the id it was queued as, refused, or abandoned by the client.
/// After each wave it is checked against what the server kept, over its HTTP API, and both are cleared.
/// </summary>
internal sealed class Ledger
{
    private readonly ConcurrentDictionary<string, string> _accepted = new();
    private readonly ConcurrentDictionary<ChurnKind, int> _acceptedByKind = new();
    private long _acceptedTotal;
    private long _refused;
    private long _abandoned;
    private long _refusedAtConnect;

    public long Accepted => Interlocked.Read(ref _acceptedTotal);

    public long Refused => Interlocked.Read(ref _refused);

    public long Abandoned => Interlocked.Read(ref _abandoned);

    public long RefusedAtConnect => Interlocked.Read(ref _refusedAtConnect);

    public IReadOnlyDictionary<ChurnKind, int> AcceptedByKind => _acceptedByKind;

    public static string Subject(string tag) => "churn " + tag;

    public void Acknowledge(ChurnKind kind, string tag, string queuedAs)
    {
        Assert.That(_accepted.TryAdd(tag, queuedAs), Is.True, $"message {tag} acknowledged twice");
        _acceptedByKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _acceptedTotal);
    }

    public void Refuse() => Interlocked.Increment(ref _refused);

    public void Abandon() => Interlocked.Increment(ref _abandoned);

    public void RefuseAtConnect() => Interlocked.Increment(ref _refusedAtConnect);

    /// <summary>
    /// Every message acknowledged since the last check is kept exactly once, under the id its 250 gave; nothing else
    /// is kept (a refused or abandoned message, or a second copy). Then the server's messages and this wave are cleared.
    /// </summary>
    public async Task CheckAndClearAsync(MockHttp http, string wave)
    {
        var kept = await http.MessagesAsync();
        var bySubject = kept.GroupBy(m => m.Subject ?? "(none)").ToDictionary(g => g.Key, g => g.Select(m => m.Id).ToList());
        var missing = _accepted.Where(a => !bySubject.ContainsKey(Subject(a.Key))).Select(a => a.Key).ToList();
        var twice = bySubject.Where(s => s.Value.Count > 1).Select(s => s.Key).ToList();
        var wrongId = _accepted.Where(a => bySubject.TryGetValue(Subject(a.Key), out var ids) && !ids.Contains(a.Value)).Select(a => a.Key).ToList();
        var unacknowledged = bySubject.Keys.Except(_accepted.Keys.Select(Subject)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.Empty, $"{wave}: acknowledged with 250 but not kept");
            Assert.That(twice, Is.Empty, $"{wave}: kept more than once");
            Assert.That(wrongId, Is.Empty, $"{wave}: kept under another id than its 250 said");
            Assert.That(unacknowledged, Is.Empty, $"{wave}: kept without a 250 to its client");
            Assert.That(kept, Has.Count.EqualTo(_accepted.Count), $"{wave}: messages kept");
        });
        await http.DeleteMessagesAsync();
        _accepted.Clear();
    }
}
