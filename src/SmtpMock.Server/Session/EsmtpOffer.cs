using System.Globalization;
using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Session;

/// <summary>
/// The ESMTP service extensions a server offers (EHLO's list: the server's own, or a scenario's) and so what it
/// implements: what is advertised is what is implemented, so a MAIL parameter or a verb whose extension is left out is
/// refused (RFC 5321 §4.2.4, RFC 1869). STARTTLS and AUTH are added per session, where they may be used. Made once per
/// responder; the EHLO lines once per (STARTTLS possible, secure) pair. HELP lists what it offers.
/// </summary>
internal sealed class EsmtpOffer
{
    private readonly SessionOptions _options;

    /// <summary>A scenario gave the EHLO list: STARTTLS and AUTH are implemented only when it lists them.</summary>
    private readonly bool _custom;

    /// <summary>
    /// The EHLO lines after the greeting line for each (STARTTLS possible, secure) pair, made once per responder:
    /// they depend on nothing else, and every session's EHLO built them again (garbage per connection).
    /// </summary>
    private readonly string[]?[] _ehloLines = new string[]?[4];

    public EsmtpOffer(SessionOptions options, IReadOnlyList<string>? extensions)
    {
        _options = options;
        _custom = extensions is not null;
        Extensions = extensions ??
        [
            "PIPELINING",
            "SIZE " + options.MaxMessageSize.ToString(CultureInfo.InvariantCulture),
            "8BITMIME",
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES",
            "CHUNKING",
        ];

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

    public bool HasSize { get; }

    public bool Has8BitMime { get; }

    public bool HasSmtpUtf8 { get; }

    public bool HasChunking { get; }

    /// <summary>STARTTLS is implemented by this server (HELP lists it); a session may still not be able to upgrade.</summary>
    public bool TlsOffered => _options.TlsEnabled && (!_custom || Advertises("STARTTLS"));

    /// <summary>AUTH is implemented by this server (HELP lists it); a session's EHLO name may still take it away.</summary>
    public bool AuthOffered => _options.AuthOffered && (!_custom || Advertises("AUTH"));

    /// <summary>The size limit for this session: the server's, or less when its EHLO name said so (<c>size1000</c>).</summary>
    public long LimitFor(SessionContext session) => session.Limits?.Size is { } size ? Math.Min(size, MaxMessageSize) : MaxMessageSize;

    /// <summary>STARTTLS is implemented for this session: enabled, a transport that can upgrade, and advertised.</summary>
    public bool TlsAvailable(SessionContext session) => TlsOffered && session.CanStartTls && session.Limits?.NoStartTls != true;

    public bool AuthAvailable(SessionContext session) => AuthOffered && session.Limits?.NoAuth != true;

    /// <summary>The mechanisms this session may use now: PLAIN, LOGIN and XOAUTH2 only over TLS unless allowed in clear.</summary>
    public IEnumerable<SaslMechanism> Mechanisms(SessionContext session) =>
        session.IsSecure || _options.AllowPlaintextAuth ? SaslMechanisms.All : SaslMechanisms.All.Where(m => !m.SendsSecretInClear());

    /// <summary>
    /// The EHLO lines after the greeting line: the extensions, plus STARTTLS until TLS is on and AUTH where it may
    /// be used. A scenario's own list is taken as written, but STARTTLS leaves it once TLS is on.
    /// </summary>
    public string[] EhloLines(SessionContext session)
    {
        var key = (session.CanStartTls ? 1 : 0) | (session.IsSecure ? 2 : 0);
        return _ehloLines[key] ??= [.. BuildEhloLines(session)];
    }

    /// <summary>
    /// The refusal of the first MAIL parameter this session may not give (its extension not offered, or a bad value),
    /// or null; <paramref name="utf8"/> says whether SMTPUTF8 was given.
    /// </summary>
    public SmtpReply? RefuseMailParameters(SessionContext session, IReadOnlyList<EsmtpParameter> parameters, Func<EsmtpParameter, SmtpReply> unknown, out bool utf8)
    {
        utf8 = false;
        foreach (var parameter in parameters)
        {
            switch (parameter.Keyword)
            {
                case "SIZE" when !HasSize:
                case "BODY" when !Has8BitMime || session.Limits?.No8BitMime == true:
                case "SMTPUTF8" when !HasSmtpUtf8:
                case "AUTH" when !AuthAvailable(session):
                    return unknown(parameter);
                case "SIZE":
                    if (parameter.Value is null || !parameter.Value.All(char.IsAsciiDigit))
                    {
                        return StandardReplies.BadSizeValue;
                    }

                    // A value too long for a long is over any limit: compare as text, never overflow.
                    if (!long.TryParse(parameter.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size > LimitFor(session))
                    {
                        return StandardReplies.MessageTooBig;
                    }

                    break;
                case "BODY":
                    if (!string.Equals(parameter.Value, "7BIT", StringComparison.OrdinalIgnoreCase)
                        && !string.Equals(parameter.Value, "8BITMIME", StringComparison.OrdinalIgnoreCase))
                    {
                        return StandardReplies.BadBodyValue;
                    }

                    break;
                case "SMTPUTF8":
                    if (parameter.Value is not null)
                    {
                        return StandardReplies.ParameterSyntax;
                    }

                    utf8 = true;
                    break;
                case "AUTH":
                    // RFC 4954 §5: the submitter's identity (xtext), or <> for unknown: noted, never checked.
                    if (string.IsNullOrEmpty(parameter.Value))
                    {
                        return StandardReplies.ParameterSyntax;
                    }

                    break;
                default:
                    return unknown(parameter);
            }
        }

        return null;
    }

    /// <summary>
    /// HELP: the verbs this server answers, seven to a line, from the one verb list: not EXPN (always 502), not BDAT
    /// when a scenario's EHLO list leaves out CHUNKING, STARTTLS and AUTH only when they are on.
    /// </summary>
    public SmtpReply Help()
    {
        var verbs = SmtpVerbs.Known.Where(Answers).Select(v => v.Keyword());
        return StandardReplies.Help(ServerVersion.Text, verbs.Chunk(7).Select(chunk => string.Join(' ', chunk)));

        bool Answers(SmtpVerb verb) => verb switch
        {
            SmtpVerb.Expn => false,
            SmtpVerb.Bdat => HasChunking,
            SmtpVerb.StartTls => TlsOffered,
            SmtpVerb.Auth => AuthOffered,
            _ => true,
        };
    }

    private bool Advertises(string keyword) =>
        Extensions.Any(e => e.Split(' ')[0].Equals(keyword, StringComparison.OrdinalIgnoreCase));

    private IEnumerable<string> BuildEhloLines(SessionContext session)
    {
        if (_custom)
        {
            return Extensions.Where(e => !(session.IsSecure && e.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase)));
        }

        var lines = new List<string>(Extensions);
        if (TlsAvailable(session) && !session.IsSecure)
        {
            lines.Add("STARTTLS");
        }

        if (AuthAvailable(session) && (session.IsSecure || !_options.RequireTls))
        {
            lines.Add(SaslMechanisms.EhloKeyword(Mechanisms(session)));
        }

        return lines;
    }
}
