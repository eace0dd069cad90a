using System.Globalization;
using System.Net;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// The zero-config failure simulator: recipients at <c>smtpmock.test</c> ask for a failure by their local part
/// (<c>503@</c>, <c>552-data@</c>, <c>greylist@</c>, <c>delay-10s@</c>, <c>disconnect@</c>, <c>disconnect-data@</c>),
/// so an app's error path can be tried without a scenario file. One instance serves every session of a server
/// (greylisting remembers clients across connections); it keeps no per-session state. Only RCPT and MESSAGE are
/// looked at, and a recipient at any other domain is dismissed by one comparison of its domain.
/// </summary>
internal sealed class FailureAddresses : IScenarioSession
{
    public const string Domain = "smtpmock.test";

    /// <summary>The forms, as the 550 for an unknown local part and the start-up line list them.</summary>
    public const string Forms = "503@, 552-data@ (any 4xx/5xx code), greylist@, greylist-5s@, delay-10s@, disconnect@, disconnect-data@";

    private static readonly TimeSpan DefaultGreylistWindow = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxGreylistWindow = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(10);
    private static readonly SmtpReply Unknown = new(550, "5.1.1", $"No such failure address; at {Domain} try {Forms}");

    /// <summary>How long a greylisting key is kept after its window: a client that passed keeps passing for a day.</summary>
    private static readonly TimeSpan GreylistKept = TimeSpan.FromDays(1);

    private readonly TimeProvider _clock;
    private readonly IScenarioState _state;

    public FailureAddresses(TimeProvider clock, IScenarioState state)
    {
        _clock = clock;
        _state = state;
    }

    /// <summary>The simulator for a server with these options, or null when it is turned off.</summary>
    public static FailureAddresses? For(Hosting.SmtpServerOptions options, IScenarioState state) => options.Simulator ? new FailureAddresses(options.TimeProvider, state) : null;

    public static bool IsSimulated(MailPath? path) => path is not null && path.Domain.Equals(Domain, StringComparison.OrdinalIgnoreCase);

    public ValueTask<Intervention?> DecideAsync(ScenarioPoint point, SessionContext session, SmtpCommand? command, bool inSequence, CancellationToken cancellationToken)
    {
        if (point == ScenarioPoint.Rcpt)
        {
            return inSequence && IsSimulated(command?.Path) ? AtRecipientAsync(command!.Path!, session, cancellationToken) : ValueTask.FromResult<Intervention?>(null);
        }

        return ValueTask.FromResult(point == ScenarioPoint.Message ? AtMessage(session) : null);
    }

    private ValueTask<Intervention?> AtRecipientAsync(MailPath path, SessionContext session, CancellationToken cancellationToken)
    {
        var local = path.LocalPart.ToLowerInvariant();
        return TryGreylistWindow(local, out var window)
            ? GreylistAsync(local, window, path, session, cancellationToken)
            : ValueTask.FromResult(AtRecipient(local));
    }

    private static Intervention? AtRecipient(string local)
    {
        if (TryCode(local, out var code))
        {
            return Fire(local, PointReplies.For(ScenarioPoint.Rcpt, code));
        }

        if (IsDataForm(local))
        {
            return null;
        }

        if (local == "disconnect")
        {
            return new Intervention(RuleName(local), 0) { Silent = true, Close = true };
        }

        if (local.StartsWith("delay-", StringComparison.Ordinal) && TryDuration(local["delay-".Length..], MaxDelay, out var delay))
        {
            return new Intervention(RuleName(local), 0) { Delay = delay };
        }

        // bounce@, ooto@, complaint@: accepted now, answered later (Aftermath/AftermathService).
        return Aftermath.AftermathAddresses.IsTrigger(local) ? null : Fire("unknown", Unknown);
    }

    /// <summary>After the final dot (or BDAT LAST): the first accepted recipient that asks for a refusal of the message.</summary>
    private static Intervention? AtMessage(SessionContext session)
    {
        var recipients = session.Recipients;
        for (var i = 0; i < recipients.Count; i++)
        {
            // An index, not foreach: an enumerator over the interface would allocate for every message.
            var recipient = recipients[i];
            if (!IsSimulated(recipient.Path))
            {
                continue;
            }

            var local = recipient.Path.LocalPart.ToLowerInvariant();
            if (local == "disconnect-data")
            {
                return new Intervention(RuleName(local), 0) { Silent = true, Close = true };
            }

            if (local.EndsWith("-data", StringComparison.Ordinal) && TryCode(local[..^"-data".Length], out var code))
            {
                return Fire(local, PointReplies.For(ScenarioPoint.Message, code));
            }
        }

        return null;
    }

    private async ValueTask<Intervention?> GreylistAsync(string local, TimeSpan window, MailPath recipient, SessionContext session, CancellationToken cancellationToken)
    {
        var client = (session.Client as IPEndPoint)?.Address.ToString() ?? session.ClientText;
        var key = string.Join('\n', "greylist", client, session.Sender?.Address.ToLowerInvariant() ?? string.Empty, recipient.Address.ToLowerInvariant());
        var first = (await _state.HitAsync(key, window + GreylistKept, cancellationToken).ConfigureAwait(false)).FirstSeen;
        var waited = _clock.GetUtcNow() - first;
        if (waited >= window)
        {
            // The client came back after the window: it passes, now and on later attempts.
            return null;
        }

        // What is left of the window, in whole seconds rounded up: a client that waits what it is told is never early.
        var seconds = (long)Math.Ceiling((window - waited).TotalSeconds);
        return Fire(local, new SmtpReply(451, "4.7.1", $"Greylisted: try again after {seconds} second{(seconds == 1 ? string.Empty : "s")}"));
    }

    private static Intervention Fire(string local, SmtpReply reply) => new(RuleName(local), 0) { Reply = reply };

    private static string RuleName(string local) => "simulator:" + local;

    /// <summary>A local part that is a 4xx or 5xx reply code.</summary>
    private static bool TryCode(string local, out int code)
    {
        code = 0;
        return local.Length == 3
            && int.TryParse(local, NumberStyles.None, CultureInfo.InvariantCulture, out code)
            && code is >= 400 and <= 599;
    }

    private static bool IsDataForm(string local) =>
        local == "disconnect-data" || (local.EndsWith("-data", StringComparison.Ordinal) && TryCode(local[..^"-data".Length], out _));

    private static bool TryDuration(string text, TimeSpan max, out TimeSpan duration) =>
        Durations.TryParse(text, out duration) && duration > TimeSpan.Zero && duration <= max;

    /// <summary><c>greylist</c> (30 seconds) or <c>greylist-5s</c>.</summary>
    private static bool TryGreylistWindow(string local, out TimeSpan window)
    {
        window = DefaultGreylistWindow;
        return local == "greylist"
            || (local.StartsWith("greylist-", StringComparison.Ordinal) && TryDuration(local["greylist-".Length..], MaxGreylistWindow, out window));
    }
}
