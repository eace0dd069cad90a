using System.Text.RegularExpressions;
using SmtpMock.Protocol.Framing;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// The correct, strict server: one place per command deciding the reply and its effect (the state table says where it leads).
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
        _greeting = greeting is null ? StandardReplies.Greeting(_hostname, ServerVersion.Text) : StandardReplies.Greeting(greeting);
        Offer = new EsmtpOffer(options, extensions);
        _help = Offer.Help();
    }

    /// <summary>The ESMTP extensions this responder offers, and so implements.</summary>
    public EsmtpOffer Offer { get; }

    /// <summary>What EHLO advertises after its first line. Nothing that answers 502 is here (RFC 5321 §4.2.4).</summary>
    public IReadOnlyList<string> Extensions => Offer.Extensions;

    /// <summary>The message size limit: the advertised SIZE value, else the option.</summary>
    public long MaxMessageSize => Offer.MaxMessageSize;

    /// <summary>The size limit for this session: the server's, or less when its EHLO name said so (<c>size1000</c>).</summary>
    public long LimitFor(SessionContext session) => Offer.LimitFor(session);

    public SmtpReply Greeting => _greeting;

    /// <summary>The verdict on a parsed command line, given whether the state table allows it now.</summary>
    public Outcome Respond(SessionContext session, ParseResult parsed, bool allowed)
    {
        var command = parsed.Command;
        if (parsed.Error is { } error)
        {
            if (command.Verb == SmtpVerb.Unknown && IsHttpRequest(command))
            {
                return new Outcome(StandardReplies.HttpOnSmtpPort, SessionEffect.Close);
            }

            // A malformed RCPT in a transaction is a refused recipient: DATA then answers 554, not 503.
            return command.Verb == SmtpVerb.Rcpt && allowed
                ? new Outcome(error, SessionEffect.RejectRecipient)
                : Outcome.Refuse(error);
        }

        if (TlsRequiredFirst(session, command.Verb) is { } mustStartTls)
        {
            return Outcome.Refuse(mustStartTls);
        }

        if (!allowed)
        {
            return Outcome.Refuse(OutOfSequence(session, command.Verb));
        }

        return command.Verb switch
        {
            SmtpVerb.StartTls => StartTls(session),
            SmtpVerb.Auth => Auth(session, command),
            SmtpVerb.Ehlo => Ehlo(session, command),
            SmtpVerb.Helo => new Outcome(StandardReplies.HeloOk(_hostname, Echo(command.Domain)), SessionEffect.Greet),
            SmtpVerb.Mail => Mail(session, command),
            SmtpVerb.Rcpt => Rcpt(session, command),
            SmtpVerb.Data => new Outcome(StandardReplies.StartData, SessionEffect.BeginData),
            SmtpVerb.Rset => new Outcome(StandardReplies.ResetOk, SessionEffect.Reset),
            SmtpVerb.Noop => new Outcome(StandardReplies.Ok),
            SmtpVerb.Quit => new Outcome(StandardReplies.Bye, SessionEffect.Close),
            SmtpVerb.Vrfy => new Outcome(StandardReplies.CannotVerify),
            SmtpVerb.Help => new Outcome(_help),
            _ => Outcome.Refuse(StandardReplies.NotImplemented),
        };
    }

    /// <summary>The verdict at the end of DATA (after CRLF.CRLF), before anything is stored.</summary>
    public static Outcome EndOfData(DataSummary content, string messageId)
    {
        var reply = content.SizeExceeded ? StandardReplies.MessageTooBig
            : content.LineTooLong ? StandardReplies.DataLineTooLong
            : content.BareLineEndingsRefused ? StandardReplies.BareLineEndingInData
            : StandardReplies.MessageAccepted(messageId);
        return new Outcome(reply, SessionEffect.EndTransaction);
    }

    /// <summary>
    /// The verdict after a BDAT chunk was read (RFC 3030: the chunk is always consumed first, even when refused).
    /// </summary>
    public Outcome EndOfChunk(SessionContext session, ParseResult parsed, bool allowed, long totalOctets, string messageId)
    {
        var command = parsed.Command;
        if (!Offer.HasChunking || session.Limits?.NoChunking == true)
        {
            return Outcome.Refuse(StandardReplies.NotImplemented);
        }

        if (parsed.Error is { } error)
        {
            return Outcome.Refuse(error);
        }

        // In the order Respond checks a command line: syntax, TLS required, sequence.
        if (TlsRequiredFirst(session, SmtpVerb.Bdat) is { } mustStartTls)
        {
            return Outcome.Refuse(mustStartTls);
        }

        if (!allowed)
        {
            return Outcome.Refuse(OutOfSequence(session, SmtpVerb.Bdat));
        }

        if (totalOctets > LimitFor(session))
        {
            // The transaction is over: later chunks of it are out of sequence.
            return new Outcome(StandardReplies.MessageTooBig, SessionEffect.EndTransaction);
        }

        return command.IsLastChunk
            ? new Outcome(StandardReplies.MessageAccepted(messageId), SessionEffect.EndTransaction)
            : new Outcome(StandardReplies.ChunkReceived(command.ChunkSize), SessionEffect.TakeChunk);
    }

    private Outcome Ehlo(SessionContext session, SmtpCommand command)
    {
        var lines = new List<string>(Extensions.Count + 3) { StandardReplies.EhloGreets(_hostname, Echo(command.Domain)) };
        lines.AddRange(Offer.EhloLines(session));
        return new Outcome(StandardReplies.EhloOk(lines), SessionEffect.Greet);
    }

    private Outcome Mail(SessionContext session, SmtpCommand command)
    {
        if (!session.IsExtended && command.Parameters.Count > 0)
        {
            return Outcome.Refuse(StandardReplies.ParametersNeedEhlo);
        }

        if (AuthRequiredFirst(session) is { } authFirst)
        {
            return Outcome.Refuse(authFirst);
        }

        if (Offer.RefuseMailParameters(session, command.Parameters, UnknownParameter, out var utf8) is { } refused)
        {
            return Outcome.Refuse(refused);
        }

        if (command.Path!.IsInternational && !utf8)
        {
            return Outcome.Refuse(StandardReplies.NonAsciiAddress);
        }

        return new Outcome(StandardReplies.SenderOk, SessionEffect.SetSender);
    }

    private Outcome Rcpt(SessionContext session, SmtpCommand command)
    {
        if (command.Parameters.Count > 0)
        {
            return new Outcome(UnknownParameter(command.Parameters[0]), SessionEffect.RejectRecipient);
        }

        if (command.Path!.IsInternational && session.SenderParameters.All(p => p.Keyword != "SMTPUTF8"))
        {
            return new Outcome(StandardReplies.NonAsciiAddress, SessionEffect.RejectRecipient);
        }

        if (session.Recipients.Count >= _options.MaxRecipients)
        {
            return new Outcome(StandardReplies.TooManyRecipients, SessionEffect.RejectRecipient);
        }

        return new Outcome(StandardReplies.RecipientOk, SessionEffect.AddRecipient);
    }

    private static SmtpReply UnknownParameter(EsmtpParameter parameter) =>
        StandardReplies.UnsupportedParameter(Echo(parameter.Keyword));

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
