using System.Globalization;
using System.Text.RegularExpressions;
using SmtpMock.Protocol.Framing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// The correct, strict server: one place per command deciding the reply, the next state and the effect.
/// It never writes; the session does, which is the seam where a scenario can answer instead.
/// </summary>
internal sealed partial class DefaultResponder
{
    private readonly SessionOptions _options;
    private readonly string _hostname;
    private readonly SmtpReply _greeting;
    private readonly SmtpReply _help;

    /// <param name="options">The session options.</param>
    /// <param name="hostname">A scenario's hostname, when it has one.</param>
    /// <param name="greeting">A scenario's greeting text, when it has one.</param>
    /// <param name="extensions">A scenario's EHLO extension list, when it has one.</param>
    public DefaultResponder(SessionOptions options, string? hostname = null, string? greeting = null, IReadOnlyList<string>? extensions = null)
    {
        _options = options;
        _hostname = hostname ?? options.Hostname;
        _greeting = new SmtpReply(220, null, greeting ?? $"{_hostname} ESMTP SmtpMock {ServerVersion.Text} ready");
        _customExtensions = extensions is not null;
        Extensions = extensions ??
        [
            "PIPELINING",
            "SIZE " + options.MaxMessageSize.ToString(CultureInfo.InvariantCulture),
            "8BITMIME",
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES",
            "CHUNKING",
        ];

        // What is advertised is what is implemented: an extension left out of a scenario's list is refused.
        var size = Extensions.FirstOrDefault(e => e.StartsWith("SIZE", StringComparison.OrdinalIgnoreCase));
        HasSize = size is not null;
        MaxMessageSize = size is not null && long.TryParse(size.AsSpan(4).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var advertised) && advertised > 0
            ? advertised
            : options.MaxMessageSize;
        Has8BitMime = Advertises("8BITMIME");
        HasSmtpUtf8 = Advertises("SMTPUTF8");
        HasChunking = Advertises("CHUNKING");
        _help = Help();
    }

    /// <summary>What EHLO advertises after its first line. Nothing that answers 502 is here (RFC 5321 §4.2.4).</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The message size limit: the advertised SIZE value, else the option.</summary>
    public long MaxMessageSize { get; }

    private bool HasSize { get; }

    /// <summary>A scenario gave the EHLO list: STARTTLS and AUTH are implemented only when it lists them.</summary>
    private readonly bool _customExtensions;

    private bool Advertises(string keyword) =>
        Extensions.Any(e => e.Split(' ')[0].Equals(keyword, StringComparison.OrdinalIgnoreCase));

    private bool Has8BitMime { get; }

    private bool HasSmtpUtf8 { get; }

    private bool HasChunking { get; }

    public SmtpReply Greeting => _greeting;

    /// <summary>The verdict on a parsed command line, given where the state table says it leads.</summary>
    public Outcome Respond(SessionContext session, ParseResult parsed, Transition transition)
    {
        var command = parsed.Command;
        if (parsed.Error is { } error)
        {
            if (command.Verb == SmtpVerb.Unknown && IsHttpRequest(command))
            {
                return new Outcome(StandardReplies.HttpOnSmtpPort, session.State, SessionEffect.Close);
            }

            // A malformed RCPT in a transaction is a refused recipient: DATA then answers 554, not 503.
            return command.Verb == SmtpVerb.Rcpt && transition.Allowed
                ? new Outcome(error, session.State, SessionEffect.RejectRecipient)
                : Outcome.Refuse(error, session.State);
        }

        if (TlsRequiredFirst(session, command.Verb) is { } mustStartTls)
        {
            return Outcome.Refuse(mustStartTls, session.State);
        }

        if (!transition.Allowed)
        {
            return Outcome.Refuse(OutOfSequence(session, command.Verb), session.State);
        }

        var next = transition.Next;
        return command.Verb switch
        {
            SmtpVerb.StartTls => StartTls(session, next),
            SmtpVerb.Auth => Auth(session, command, next),
            SmtpVerb.Ehlo => Ehlo(session, command, next),
            SmtpVerb.Helo => new Outcome(new SmtpReply(250, null, $"{_hostname} Hello {Echo(command.Domain)}"), next, SessionEffect.Greet),
            SmtpVerb.Mail => Mail(session, command, next),
            SmtpVerb.Rcpt => Rcpt(session, command, next),
            SmtpVerb.Data => new Outcome(StandardReplies.StartData, next, SessionEffect.BeginData),
            SmtpVerb.Rset => new Outcome(StandardReplies.ResetOk, next, SessionEffect.Reset),
            SmtpVerb.Noop => new Outcome(StandardReplies.Ok, next),
            SmtpVerb.Quit => new Outcome(StandardReplies.Bye, next, SessionEffect.Close),
            SmtpVerb.Vrfy => new Outcome(StandardReplies.CannotVerify, next),
            SmtpVerb.Help => new Outcome(_help, next),
            _ => Outcome.Refuse(StandardReplies.NotImplemented, session.State),
        };
    }

    /// <summary>The verdict at the end of DATA (after CRLF.CRLF), before anything is stored.</summary>
    public static Outcome EndOfData(DataSummary content, string messageId)
    {
        var reply = content.SizeExceeded ? StandardReplies.MessageTooBig
            : content.LineTooLong ? StandardReplies.DataLineTooLong
            : content.BareLineEndingsRefused ? StandardReplies.BareLineEndingInData
            : StandardReplies.MessageAccepted(messageId);
        return new Outcome(reply, SessionState.Ready, SessionEffect.EndTransaction);
    }

    /// <summary>
    /// The verdict after a BDAT chunk was read (RFC 3030: the chunk is always consumed first, even when refused).
    /// </summary>
    public Outcome EndOfChunk(SessionContext session, ParseResult parsed, Transition transition, long totalOctets, string messageId)
    {
        var command = parsed.Command;
        if (!HasChunking)
        {
            return Outcome.Refuse(StandardReplies.NotImplemented, session.State);
        }

        if (parsed.Error is { } error)
        {
            return Outcome.Refuse(error, session.State);
        }

        // In the order Respond checks a command line: syntax, TLS required, sequence.
        if (TlsRequiredFirst(session, SmtpVerb.Bdat) is { } mustStartTls)
        {
            return Outcome.Refuse(mustStartTls, session.State);
        }

        if (!transition.Allowed)
        {
            return Outcome.Refuse(OutOfSequence(session, SmtpVerb.Bdat), session.State);
        }

        if (totalOctets > MaxMessageSize)
        {
            // The transaction is over: later chunks of it are out of sequence.
            return new Outcome(StandardReplies.MessageTooBig, SessionState.Ready, SessionEffect.EndTransaction);
        }

        return command.IsLastChunk
            ? new Outcome(StandardReplies.MessageAccepted(messageId), SessionState.Ready, SessionEffect.EndTransaction)
            : new Outcome(StandardReplies.ChunkReceived(command.ChunkSize), transition.Next);
    }

    private Outcome Ehlo(SessionContext session, SmtpCommand command, SessionState next)
    {
        var lines = new List<string>(Extensions.Count + 3) { $"{_hostname} greets {Echo(command.Domain)}" };
        lines.AddRange(EhloExtensions(session));
        return new Outcome(new SmtpReply(250, null, lines), next, SessionEffect.Greet);
    }

    private Outcome Mail(SessionContext session, SmtpCommand command, SessionState next)
    {
        if (!session.IsExtended && command.Parameters.Count > 0)
        {
            return Outcome.Refuse(new SmtpReply(555, "5.5.4", "ESMTP parameters need EHLO, not HELO"), session.State);
        }

        if (AuthRequiredFirst(session) is { } authFirst)
        {
            return Outcome.Refuse(authFirst, session.State);
        }

        var utf8 = false;
        foreach (var parameter in command.Parameters)
        {
            switch (parameter.Keyword)
            {
                case "SIZE" when !HasSize:
                case "BODY" when !Has8BitMime:
                case "SMTPUTF8" when !HasSmtpUtf8:
                case "AUTH" when !AuthAvailable:
                    return Outcome.Refuse(UnknownParameter(parameter), session.State);
                case "SIZE":
                    if (parameter.Value is null || !parameter.Value.All(char.IsAsciiDigit))
                    {
                        return Outcome.Refuse(StandardReplies.BadSizeValue, session.State);
                    }

                    // A value too long for a long is over any limit: compare as text, never overflow.
                    if (!long.TryParse(parameter.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                        || size > MaxMessageSize)
                    {
                        return Outcome.Refuse(StandardReplies.MessageTooBig, session.State);
                    }

                    break;
                case "BODY":
                    if (!string.Equals(parameter.Value, "7BIT", StringComparison.OrdinalIgnoreCase)
                        && !string.Equals(parameter.Value, "8BITMIME", StringComparison.OrdinalIgnoreCase))
                    {
                        return Outcome.Refuse(StandardReplies.BadBodyValue, session.State);
                    }

                    break;
                case "SMTPUTF8":
                    if (parameter.Value is not null)
                    {
                        return Outcome.Refuse(StandardReplies.ParameterSyntax, session.State);
                    }

                    utf8 = true;
                    break;
                case "AUTH":
                    // RFC 4954 §5: the submitter's identity (xtext), or <> for unknown: noted, never checked.
                    if (string.IsNullOrEmpty(parameter.Value))
                    {
                        return Outcome.Refuse(StandardReplies.ParameterSyntax, session.State);
                    }

                    break;
                default:
                    return Outcome.Refuse(UnknownParameter(parameter), session.State);
            }
        }

        if (command.Path!.IsInternational && !utf8)
        {
            return Outcome.Refuse(StandardReplies.NonAsciiAddress, session.State);
        }

        return new Outcome(StandardReplies.SenderOk, next, SessionEffect.SetSender);
    }

    private Outcome Rcpt(SessionContext session, SmtpCommand command, SessionState next)
    {
        if (command.Parameters.Count > 0)
        {
            return new Outcome(UnknownParameter(command.Parameters[0]), session.State, SessionEffect.RejectRecipient);
        }

        if (command.Path!.IsInternational && session.SenderParameters.All(p => p.Keyword != "SMTPUTF8"))
        {
            return new Outcome(StandardReplies.NonAsciiAddress, session.State, SessionEffect.RejectRecipient);
        }

        if (session.Recipients.Count >= _options.MaxRecipients)
        {
            return new Outcome(StandardReplies.TooManyRecipients, session.State, SessionEffect.RejectRecipient);
        }

        return new Outcome(StandardReplies.RecipientOk, next, SessionEffect.AddRecipient);
    }

    private static SmtpReply UnknownParameter(EsmtpParameter parameter) =>
        new(555, "5.5.4", $"Unsupported parameter {Echo(parameter.Keyword)}");

    /// <summary>
    /// Client text quoted in a reply, cut short: a reply line may not pass 512 octets whatever the client sent
    /// (found by fuzzing: a 500-octet parameter keyword made the 555 reply impossible to send).
    /// </summary>
    private static string Echo(string? text, int max = 64) =>
        text is null ? string.Empty : text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "...");

    private static bool IsHttpRequest(SmtpCommand command) => HttpRequestLine().IsMatch(command.ToString());

    [GeneratedRegex(@"^(GET|POST|HEAD|PUT|DELETE|OPTIONS|CONNECT|PATCH|TRACE) \S+ HTTP/\d(\.\d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex HttpRequestLine();
}
