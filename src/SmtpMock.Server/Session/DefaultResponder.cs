using System.Globalization;
using System.Text.RegularExpressions;
using SmtpMock.Protocol.Framing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Server.Session;

/// <summary>
/// The correct, strict server: one place per command deciding the reply, the next state and the effect.
/// It never writes; the session does, which is the seam where a scenario can answer instead.
/// </summary>
public sealed partial class DefaultResponder
{
    private readonly SmtpServerOptions _options;
    private readonly string _hostname;
    private readonly SmtpReply _greeting;
    private readonly SmtpReply _help = new(214, "2.0.0",
        $"SmtpMock {SmtpServerOptions.Version}, commands:",
        "EHLO HELO MAIL RCPT DATA BDAT RSET",
        "NOOP QUIT VRFY EXPN HELP",
        "See RFC 5321");

    /// <param name="options">The server's options.</param>
    /// <param name="presentation">A scenario's hostname, greeting and extension list, when it has them.</param>
    public DefaultResponder(SmtpServerOptions options, ServerPresentation? presentation = null)
    {
        _options = options;
        _hostname = presentation?.Hostname ?? options.Hostname;
        _greeting = new SmtpReply(220, null, presentation?.Greeting ?? $"{_hostname} ESMTP SmtpMock {SmtpServerOptions.Version} ready");
        Extensions = presentation?.Extensions ??
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
    }

    /// <summary>What EHLO advertises after its first line. Nothing that answers 502 is here (RFC 5321 §4.2.4).</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The message size limit: the advertised SIZE value, else the option.</summary>
    public long MaxMessageSize { get; }

    private bool HasSize { get; }

    private bool Advertises(string keyword) =>
        Extensions.Any(e => e.Split(' ')[0].Equals(keyword, StringComparison.OrdinalIgnoreCase));

    private bool Has8BitMime { get; }

    private bool HasSmtpUtf8 { get; }

    private bool HasChunking { get; }

    public SmtpReply Greeting => _greeting;

    /// <summary>The verdict on a parsed command line.</summary>
    public Outcome Respond(SessionContext session, ParseResult parsed)
    {
        var command = parsed.Command;
        if (parsed.Error is { } error)
        {
            if (command.Verb == SmtpVerb.Unknown && IsHttpRequest(command))
            {
                return new Outcome(StandardReplies.HttpOnSmtpPort, session.State, SessionEffect.Close);
            }

            // A malformed RCPT in a transaction is a refused recipient: DATA then answers 554, not 503.
            return command.Verb == SmtpVerb.Rcpt && StateTable.IsAllowed(session.State, SmtpVerb.Rcpt)
                ? new Outcome(error, session.State, SessionEffect.RejectRecipient)
                : Outcome.Refuse(error, session.State);
        }

        if (!StateTable.IsAllowed(session.State, command.Verb))
        {
            return Outcome.Refuse(OutOfSequence(session, command.Verb), session.State);
        }

        return command.Verb switch
        {
            SmtpVerb.Ehlo => Ehlo(command),
            SmtpVerb.Helo => new Outcome(new SmtpReply(250, null, $"{_hostname} Hello {Echo(command.Domain)}"), SessionState.Ready, SessionEffect.Greet),
            SmtpVerb.Mail => Mail(session, command),
            SmtpVerb.Rcpt => Rcpt(session, command),
            SmtpVerb.Data => new Outcome(StandardReplies.StartData, session.State, SessionEffect.BeginData),
            SmtpVerb.Rset => new Outcome(StandardReplies.ResetOk, session.State == SessionState.Connected ? SessionState.Connected : SessionState.Ready, SessionEffect.Reset),
            SmtpVerb.Noop => new Outcome(StandardReplies.Ok, session.State),
            SmtpVerb.Quit => new Outcome(StandardReplies.Bye, session.State, SessionEffect.Close),
            SmtpVerb.Vrfy => new Outcome(StandardReplies.CannotVerify, session.State),
            SmtpVerb.Help => new Outcome(_help, session.State),
            _ => Outcome.Refuse(StandardReplies.NotImplemented, session.State),
        };
    }

    /// <summary>The verdict at the end of DATA (after CRLF.CRLF), before anything is stored.</summary>
    public Outcome EndOfData(SessionContext session, DataReader reader, string messageId)
    {
        var reply = reader.SizeExceeded ? StandardReplies.MessageTooBig
            : reader.LineTooLong ? StandardReplies.DataLineTooLong
            : reader.BareLineEndings > 0 && reader.Policy == BareLineEndingPolicy.Reject ? StandardReplies.BareLineEndingInData
            : StandardReplies.MessageAccepted(messageId);
        return new Outcome(reply, SessionState.Ready, SessionEffect.EndTransaction);
    }

    /// <summary>
    /// The verdict after a BDAT chunk was read (RFC 3030: the chunk is always consumed first, even when refused).
    /// </summary>
    public Outcome EndOfChunk(SessionContext session, ParseResult parsed, long totalOctets, string messageId)
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

        if (!StateTable.IsAllowed(session.State, SmtpVerb.Bdat))
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
            : new Outcome(StandardReplies.ChunkReceived(command.ChunkSize), SessionState.Chunking);
    }

    private Outcome Ehlo(SmtpCommand command)
    {
        var lines = new List<string>(Extensions.Count + 1) { $"{_hostname} greets {Echo(command.Domain)}" };
        lines.AddRange(Extensions);
        return new Outcome(new SmtpReply(250, null, lines), SessionState.Ready, SessionEffect.Greet);
    }

    private Outcome Mail(SessionContext session, SmtpCommand command)
    {
        if (!session.IsExtended && command.Parameters.Count > 0)
        {
            return Outcome.Refuse(new SmtpReply(555, "5.5.4", "ESMTP parameters need EHLO, not HELO"), session.State);
        }

        var utf8 = false;
        foreach (var parameter in command.Parameters)
        {
            switch (parameter.Keyword)
            {
                case "SIZE" when !HasSize:
                case "BODY" when !Has8BitMime:
                case "SMTPUTF8" when !HasSmtpUtf8:
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
                default:
                    return Outcome.Refuse(UnknownParameter(parameter), session.State);
            }
        }

        if (command.Path!.IsInternational && !utf8)
        {
            return Outcome.Refuse(StandardReplies.NonAsciiAddress, session.State);
        }

        return new Outcome(StandardReplies.SenderOk, SessionState.HaveSender, SessionEffect.SetSender);
    }

    private Outcome Rcpt(SessionContext session, SmtpCommand command)
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

        return new Outcome(StandardReplies.RecipientOk, SessionState.HaveRecipients, SessionEffect.AddRecipient);
    }

    private static SmtpReply UnknownParameter(EsmtpParameter parameter) =>
        new(555, "5.5.4", $"Unsupported parameter {Echo(parameter.Keyword)}");

    /// <summary>
    /// Client text quoted in a reply, cut short: a reply line may not pass 512 octets whatever the client sent
    /// (found by fuzzing: a 500-octet parameter keyword made the 555 reply impossible to send).
    /// </summary>
    private static string Echo(string? text, int max = 64) =>
        text is null ? string.Empty : text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "...");

    private static SmtpReply OutOfSequence(SessionContext session, SmtpVerb verb) => (session.State, verb) switch
    {
        (SessionState.Connected, _) => StandardReplies.HeloFirst,
        (_, SmtpVerb.Mail) => StandardReplies.NestedMail,
        (SessionState.Ready, SmtpVerb.Rcpt) => StandardReplies.MailFirst,
        (SessionState.Chunking, SmtpVerb.Data) => StandardReplies.DataAfterBdat,
        (SessionState.HaveSender, SmtpVerb.Data or SmtpVerb.Bdat) when session.RejectedRecipients > 0 => StandardReplies.NoValidRecipients,
        (SessionState.Ready, SmtpVerb.Data or SmtpVerb.Bdat) => StandardReplies.MailFirstForData,
        (SessionState.HaveSender, SmtpVerb.Data or SmtpVerb.Bdat) => StandardReplies.RcptFirst,
        _ => StandardReplies.BadSequence,
    };

    private static bool IsHttpRequest(SmtpCommand command) => HttpRequestLine().IsMatch(command.ToString());

    [GeneratedRegex(@"^(GET|POST|HEAD|PUT|DELETE|OPTIONS|CONNECT|PATCH|TRACE) \S+ HTTP/\d(\.\d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex HttpRequestLine();
}
