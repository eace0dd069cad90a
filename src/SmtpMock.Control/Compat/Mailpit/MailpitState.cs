using Microsoft.Extensions.Logging;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>What the Mailpit endpoints share: the server, the options, the chaos triggers last set and a few counters for /api/v1/info.</summary>
internal sealed class MailpitState : IDisposable
{
    private long _deleted;
    private long _acceptedSize;

    public MailpitState(SmtpMockServer server, ControlOptions control, MailpitOptions options, ILogger logger)
    {
        Server = server;
        Control = control;
        Options = options;
        Logger = logger;
        Started = server.Options.TimeProvider.GetUtcNow();
        server.Messages.Changed += OnChanged;
    }

    public SmtpMockServer Server { get; }

    public IMessageStore Store => Server.Messages;

    public ControlOptions Control { get; }

    public MailpitOptions Options { get; }

    public ILogger Logger { get; }

    public DateTimeOffset Started { get; }

    /// <summary>The chaos triggers as last PUT (Mailpit's defaults until then).</summary>
    public MailpitChaos Chaos { get; set; } = MailpitChaosScenario.Defaults;

    public long Deleted => Interlocked.Read(ref _deleted);

    public long AcceptedSize => Interlocked.Read(ref _acceptedSize);

    public void Dispose() => Server.Messages.Changed -= OnChanged;

    private void OnChanged(StoreChange change)
    {
        switch (change.Kind)
        {
            case StoreChangeKind.Added when change.Message is { } message:
                Interlocked.Add(ref _acceptedSize, message.Size);
                break;
            case StoreChangeKind.Removed:
                Interlocked.Increment(ref _deleted);
                break;
        }
    }
}
