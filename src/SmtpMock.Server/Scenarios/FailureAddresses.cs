using System.Net;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// The zero-config failure simulator: addresses at <c>smtpmock.test</c> ask for a failure by their local part
/// (<see cref="FailureForm"/>), so an app's error path can be tried without a scenario file. A recipient fails at RCPT,
/// the same form as MAIL FROM fails at MAIL (a <c>-data</c> form fails every message of the transaction), an AUTH user
/// name fails the login, and an EHLO name <c>421.smtpmock.test</c> or <c>noauth.size1000.smtpmock.test</c> refuses
/// EHLO or takes extensions away (<see cref="EhloWords"/>). One instance serves every session of a server (greylisting
/// remembers clients across connections); it keeps no per-session state. An address at any other domain is dismissed
/// by one comparison of its domain.
/// </summary>
internal sealed class FailureAddresses : IScenarioSession
{
    public const string Domain = "smtpmock.test";

    /// <summary>The forms, as the 550 for an unknown local part and the start-up line list them.</summary>
    public const string Forms = FailureForm.List;

    private static readonly SmtpReply Unknown = StandardReplies.NoSuchFailureAddress(Domain, Forms);

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

    public static bool IsSimulated(MailPath? path) => path is not null && IsSimulated(path.Domain);

    private static bool IsSimulated(string domain) => domain.Equals(Domain, StringComparison.OrdinalIgnoreCase);

    public ValueTask<Intervention?> DecideAsync(ScenarioPoint point, SessionContext session, SmtpCommand? command, bool inSequence, CancellationToken cancellationToken)
    {
        switch (point)
        {
            case ScenarioPoint.Rcpt or ScenarioPoint.Mail when inSequence && IsSimulated(command?.Path):
                return AtPathAsync(point, command!.Path!, session, cancellationToken);
            case ScenarioPoint.Ehlo or ScenarioPoint.Helo when inSequence:
                return ValueTask.FromResult(EhloWords.Decide(point, command?.Domain));
            case ScenarioPoint.Auth when session.AuthUser is { } user && user.LastIndexOf('@') is var at and > 0 && IsSimulated(user[(at + 1)..]):
                return ValueTask.FromResult(AtAuth(FailureForm.Of(user[..at])));
            case ScenarioPoint.Data when inSequence:
                return ValueTask.FromResult(InTransaction(session, FailureKind.ResetData) is { } reset ? new Intervention(RuleName(reset.Name), 0) { Reset = true } : null);
            case ScenarioPoint.Message:
                return ValueTask.FromResult(AtMessage(session));
            default:
                return ValueTask.FromResult<Intervention?>(null);
        }
    }

    private ValueTask<Intervention?> AtPathAsync(ScenarioPoint point, MailPath path, SessionContext session, CancellationToken cancellationToken)
    {
        var form = FailureForm.Of(path.LocalPart);
        if (form.Kind == FailureKind.Unknown && point == ScenarioPoint.Rcpt && Aftermath.AftermathAddresses.IsTrigger(path.LocalPart.ToLowerInvariant()))
        {
            // bounce@, ooto@, complaint@: accepted now, answered later (Aftermath/AftermathService).
            return ValueTask.FromResult<Intervention?>(null);
        }

        return form.Kind == FailureKind.Greylist
            ? GreylistAsync(form, point, path, session, cancellationToken)
            : ValueTask.FromResult(AtPath(point, form));
    }

    /// <summary>At RCPT for a recipient, at MAIL for a sender: the form's failure, or null where it fails later.</summary>
    private static Intervention? AtPath(ScenarioPoint point, FailureForm form)
    {
        var rule = new Intervention(RuleName(form.Name), 0);
        return form.Kind switch
        {
            FailureKind.Code => rule with { Reply = PointReplies.For(point, form.Code) },
            FailureKind.Disconnect => rule with { Silent = true, Close = true },
            FailureKind.Hang => rule with { Silent = true, Hang = true },
            FailureKind.Reset => rule with { Silent = true, Reset = true },
            FailureKind.Delay => rule with { Delay = form.Duration },
            FailureKind.Throttle => rule with { Throttle = form.Rate },
            FailureKind.Fragment => rule with { Fragment = true },
            FailureKind.DataCode or FailureKind.DisconnectData or FailureKind.ResetData => null,
            _ => Fire("unknown", Unknown),
        };
    }

    /// <summary>An AUTH user name at smtpmock.test: <c>535@</c> refuses the login whatever the password, <c>slow-3s@</c> logs in late.</summary>
    private static Intervention? AtAuth(FailureForm form) => form.Kind switch
    {
        FailureKind.Code => Fire(form.Name, PointReplies.For(ScenarioPoint.Auth, form.Code)),
        FailureKind.Delay => new Intervention(RuleName(form.Name), 0) { Delay = form.Duration },
        _ => null,
    };

    /// <summary>After the final dot (or BDAT LAST): the sender, else the first accepted recipient, that asks for a refusal of the message.</summary>
    private static Intervention? AtMessage(SessionContext session)
    {
        if (InTransaction(session, FailureKind.DisconnectData) is { } disconnect)
        {
            return new Intervention(RuleName(disconnect.Name), 0) { Silent = true, Close = true };
        }

        return InTransaction(session, FailureKind.DataCode) is { } refuse ? Fire(refuse.Name, PointReplies.For(ScenarioPoint.Message, refuse.Code)) : null;
    }

    /// <summary>The first form of this kind among the transaction's sender and accepted recipients.</summary>
    private static FailureForm? InTransaction(SessionContext session, FailureKind kind)
    {
        if (IsSimulated(session.Sender) && FailureForm.Of(session.Sender!.LocalPart) is var sender && sender.Kind == kind)
        {
            return sender;
        }

        var recipients = session.Recipients;
        for (var i = 0; i < recipients.Count; i++)
        {
            // An index, not foreach: an enumerator over the interface would allocate for every message.
            var path = recipients[i].Path;
            if (IsSimulated(path) && FailureForm.Of(path.LocalPart) is var form && form.Kind == kind)
            {
                return form;
            }
        }

        return null;
    }

    private async ValueTask<Intervention?> GreylistAsync(FailureForm form, ScenarioPoint point, MailPath path, SessionContext session, CancellationToken cancellationToken)
    {
        var client = (session.Client as IPEndPoint)?.Address.ToString() ?? session.ClientText;
        var sender = point == ScenarioPoint.Mail ? path : session.Sender;
        var key = string.Join('\n', "greylist", client, sender?.Address.ToLowerInvariant() ?? string.Empty, point == ScenarioPoint.Rcpt ? path.Address.ToLowerInvariant() : string.Empty);
        var first = (await _state.HitAsync(key, form.Duration + GreylistKept, cancellationToken).ConfigureAwait(false)).FirstSeen;
        var waited = _clock.GetUtcNow() - first;
        if (waited >= form.Duration)
        {
            // The client came back after the window: it passes, now and on later attempts.
            return null;
        }

        // What is left of the window, in whole seconds rounded up: a client that waits what it is told is never early.
        var seconds = (long)Math.Ceiling((form.Duration - waited).TotalSeconds);
        return Fire(form.Name, StandardReplies.Greylisted(seconds));
    }

    private static Intervention Fire(string name, SmtpReply reply) => new(RuleName(name), 0) { Reply = reply };

    private static string RuleName(string name) => "simulator:" + name;
}
