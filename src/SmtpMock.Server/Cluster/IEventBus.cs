namespace SmtpMock.Server.Cluster;

/// <summary>
/// How instances that serve one address tell each other what happened (the event stream's frames), so the page, SSE
/// and waits on any instance see every instance's sessions: nothing by default (one process), Redis pub/sub when
/// several share a state. Payloads are opaque bytes on a named topic; an instance never receives its own.
/// </summary>
public interface IEventBus : IAsyncDisposable
{
    /// <summary>Where the events travel: <c>local</c>, <c>redis://host:port</c>.</summary>
    string Description { get; }

    /// <summary>Whether other instances hear what this one publishes (false for a lone process: nothing need be made for it).</summary>
    bool ReachesOthers { get; }

    /// <summary>Sends <paramref name="payload"/> on <paramref name="topic"/> to every other instance; never waits on them (a bus that is down drops it).</summary>
    void Publish(string topic, ReadOnlyMemory<byte> payload);

    /// <summary>Raised for each payload another instance published (topic, payload), on a thread of the bus's.</summary>
    event Action<string, ReadOnlyMemory<byte>>? Received;
}

/// <summary>The bus of a lone process: nothing to tell anyone.</summary>
public sealed class LocalEventBus : IEventBus
{
    public static LocalEventBus Instance { get; } = new();

    public string Description => "local";

    public bool ReachesOthers => false;

    public void Publish(string topic, ReadOnlyMemory<byte> payload)
    {
    }

    public event Action<string, ReadOnlyMemory<byte>>? Received
    {
        add { }
        remove { }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
