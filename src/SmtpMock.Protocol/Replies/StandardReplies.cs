namespace SmtpMock.Protocol.Replies;

/// <summary>
/// The default reply for every situation the server answers on its own, in one place (as Garnet's CmdStrings); with
/// <see cref="SecurityReplies"/> the only place a reply is made from a literal (a test fails on one anywhere else in
/// the server), and each one's code and enhanced code a row of <see cref="ReplyCatalog"/> (a test holds them to it).
/// Codes and enhanced codes follow the usual pairings (Postfix's): 500 5.5.2, 501 5.5.4, 502 5.5.1, 503 5.5.1,
/// 504 5.5.4, 452 4.5.3, 552 5.3.4, 554 5.5.1, 421 4.4.2.
/// </summary>
internal static class StandardReplies
{
    public static readonly SmtpReply Ok = new(250, "2.0.0", "OK");
    public static readonly SmtpReply ResetOk = new(250, "2.0.0", "Reset OK");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Sender OK");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "Recipient OK");
    public static readonly SmtpReply StartData = new(354, null, "End data with <CR><LF>.<CR><LF>");
    public static readonly SmtpReply Bye = new(221, "2.0.0", "Bye");
    public static readonly SmtpReply CannotVerify = new(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery");

    public static readonly SmtpReply CommandUnrecognized = new(500, "5.5.2", "Command unrecognized");
    public static readonly SmtpReply EmptyCommand = new(500, "5.5.2", "Empty command");
    public static readonly SmtpReply LineTooLong = new(500, "5.5.2", "Line too long");
    public static readonly SmtpReply BareLfInCommand = new(500, "5.5.2", "Command line must end with CRLF");
    public static readonly SmtpReply NonAsciiVerb = new(500, "5.5.2", "Command unrecognized: not ASCII");

    public static readonly SmtpReply NoArgumentsAllowed = new(501, "5.5.4", "Syntax error: no arguments allowed");
    public static readonly SmtpReply BareCrInCommand = new(501, "5.5.2", "Syntax error: bare CR in command");
    public static readonly SmtpReply NulInCommand = new(501, "5.5.2", "Syntax error: NUL character in command");
    public static readonly SmtpReply InvalidUtf8 = new(501, "5.5.2", "Syntax error: invalid UTF-8 in command");
    public static readonly SmtpReply HeloSyntax = new(501, "5.5.4", "Syntax: HELO hostname");
    public static readonly SmtpReply EhloSyntax = new(501, "5.5.4", "Syntax: EHLO hostname");
    public static readonly SmtpReply MailSyntax = new(501, "5.5.4", "Syntax: MAIL FROM:<address> [parameters]");
    public static readonly SmtpReply RcptSyntax = new(501, "5.5.4", "Syntax: RCPT TO:<address> [parameters]");
    public static readonly SmtpReply VrfySyntax = new(501, "5.5.4", "Syntax: VRFY address");
    public static readonly SmtpReply BdatSyntax = new(501, "5.5.4", "Syntax: BDAT chunk-size [LAST]");
    public static readonly SmtpReply ParameterSyntax = new(501, "5.5.4", "Syntax error in parameters");
    public static readonly SmtpReply BadBodyValue = new(501, "5.5.4", "BODY must be 7BIT or 8BITMIME");
    public static readonly SmtpReply BadSizeValue = new(501, "5.5.4", "SIZE must be a number of octets");
    public static readonly SmtpReply DuplicateParameter = new(501, "5.5.4", "Parameter given more than once");

    public static readonly SmtpReply NotImplemented = new(502, "5.5.1", "Command not implemented");
    public static readonly SmtpReply BadSequence = new(503, "5.5.1", "Bad sequence of commands");
    public static readonly SmtpReply HeloFirst = new(503, "5.5.1", "Bad sequence of commands: send EHLO/HELO first");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1", "Bad sequence of commands: sender already given");
    public static readonly SmtpReply MailFirst = new(503, "5.5.1", "Bad sequence of commands: need MAIL before RCPT");
    public static readonly SmtpReply MailFirstForData = new(503, "5.5.1", "Bad sequence of commands: need MAIL and RCPT first");
    public static readonly SmtpReply RcptFirst = new(503, "5.5.1", "Bad sequence of commands: need RCPT first");
    public static readonly SmtpReply NoService = new(503, "5.5.1", "Bad sequence of commands: no service here, only QUIT");
    public static readonly SmtpReply DataAfterBdat = new(503, "5.5.1", "Bad sequence of commands: DATA after BDAT");
    public static readonly SmtpReply ParameterNotImplemented = new(504, "5.5.4", "Command parameter not implemented");
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1", "No valid recipients");
    public static readonly SmtpReply UnknownParameter = new(555, "5.5.4", "Unsupported parameter");

    public static readonly SmtpReply MessageTooBig = new(552, "5.3.4", "Message size exceeds fixed maximum message size");
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Too many recipients");
    public static readonly SmtpReply DataLineTooLong = new(554, "5.6.0", "Message has a line over the maximum length");
    public static readonly SmtpReply BareLineEndingInData = new(554, "5.6.0", "Message has bare CR or LF line endings");
    public static readonly SmtpReply NonAsciiAddress = new(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");
    public static readonly SmtpReply BadSenderSyntax = new(501, "5.1.7", "Bad sender address syntax");
    public static readonly SmtpReply BadRecipientSyntax = new(501, "5.1.3", "Bad recipient address syntax");

    public static readonly SmtpReply LocalError = new(451, "4.3.0", "Local error in processing: message not stored");

    public static readonly SmtpReply TooManyConnections = new(421, "4.7.0", "Too many connections, try again later");
    public static readonly SmtpReply TooManyErrors = new(421, "4.7.0", "Too many errors, closing connection");
    public static readonly SmtpReply HttpOnSmtpPort = new(421, "4.7.0", "This is an SMTP server, not HTTP; closing connection");
    public static readonly SmtpReply Timeout = new(421, "4.4.2", "Timeout exceeded, closing connection");
    public static readonly SmtpReply MessageDeadline = new(421, "4.4.2", "Message took too long to arrive, closing connection");
    public static readonly SmtpReply TooManyFromAddress = new(421, "4.7.0", "Too many connections from your address, try again later");
    public static readonly SmtpReply ShuttingDown = new(421, "4.3.2", "Server shutting down, closing connection");

    public static readonly SmtpReply ParametersNeedEhlo = new(555, "5.5.4", "ESMTP parameters need EHLO, not HELO");

    public static SmtpReply MessageAccepted(string id) => new(250, "2.0.0", $"OK: queued as {id}");

    /// <summary>The 220 greeting (no enhanced code: none is negotiated yet), with a scenario's text.</summary>
    public static SmtpReply Greeting(string text) => new(220, null, text);

    /// <summary>The server's own 220 greeting.</summary>
    public static SmtpReply Greeting(string hostname, string version) => Greeting($"{hostname} ESMTP SmtpMock {version} ready");

    /// <summary>The 250 to HELO (no enhanced code before EHLO, RFC 2034 §3); <paramref name="client"/> as it may be shown.</summary>
    public static SmtpReply HeloOk(string hostname, string client) => new(250, null, $"{hostname} Hello {client}");

    /// <summary>The first line of the 250 to EHLO; the extensions follow it.</summary>
    public static string EhloGreets(string hostname, string client) => $"{hostname} greets {client}";

    /// <summary>The 250 to EHLO: the greeting line and the extension keywords.</summary>
    public static SmtpReply EhloOk(IReadOnlyList<string> lines) => new(250, null, lines);

    /// <summary>The 214 to HELP: the verbs answered, a line each of <paramref name="verbLines"/>.</summary>
    public static SmtpReply Help(string version, IEnumerable<string> verbLines) =>
        new(214, "2.0.0", [$"SmtpMock {version}, commands:", .. verbLines, "See RFC 5321"]);

    /// <summary>The 555 to a MAIL or RCPT parameter the server does not know, naming it (as it may be shown).</summary>
    public static SmtpReply UnsupportedParameter(string keyword) => new(555, "5.5.4", $"Unsupported parameter {keyword}");

    /// <summary>The 550 to an EHLO name or AUTH user that asks for a scenario no file loaded (the name as it may be shown).</summary>
    public static SmtpReply NoSuchScenario(string name) => new(550, "5.7.0", $"No scenario named '{name}' is loaded here");

    /// <summary>At the greeting, when the scenario state does not answer: the session closes.</summary>
    public static SmtpReply ScenarioStateClosing(string state) => new(421, null, $"Scenario state {state} unavailable; closing, try again later");

    /// <summary>At a command, when the scenario state does not answer (no enhanced code where none is negotiated yet).</summary>
    public static SmtpReply ScenarioStateUnavailable(string state, bool enhanced) =>
        new(451, enhanced ? "4.3.0" : null, $"Scenario state {state} unavailable; try again later");

    /// <summary>The 550 to a failure address whose local part is no form; it lists the forms.</summary>
    public static SmtpReply NoSuchFailureAddress(string domain, string forms) => new(550, "5.1.1", $"No such failure address; at {domain} try {forms}");

    /// <summary>The greylisting 451 of a failure address, with what is left of its window.</summary>
    public static SmtpReply Greylisted(long seconds) => new(451, "4.7.1", $"Greylisted: try again after {seconds} second{(seconds == 1 ? string.Empty : "s")}");

    public static SmtpReply ChunkReceived(long octets) => new(250, "2.0.0", $"{octets} octets received");
}
