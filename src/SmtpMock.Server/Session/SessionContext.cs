using System.Net;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Security;

namespace SmtpMock.Server.Session;

/// <summary>One session's facts: who connected, where the dialog stands, the open transaction and the counters.</summary>
public sealed class SessionContext
{
    internal SessionContext(long id, EndPoint? client, DateTimeOffset startedAt, Transcript transcript, int maxAttempts = 2_500)
    {
        Attempts = new(maxAttempts);
        Id = id;
        Client = client;
        StartedAt = startedAt;
        Transcript = transcript;
    }

    /// <summary>1 for the server's first connection, 2 for the next, and so on.</summary>
    public long Id { get; }

    public EndPoint? Client { get; }

    /// <summary>The client's address and port as text (made once: the transcript, the log and each message name it).</summary>
    public string ClientText => _clientText ??= Client?.ToString() ?? "(unknown)";

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset? EndedAt { get; internal set; }

    public Transcript Transcript { get; }

    /// <summary>The delivery attempts so far (each RCPT and the reply it finally got), kept from the typed events.</summary>
    internal History.DeliveryAttemptLog Attempts { get; }

    public SessionState State { get; internal set; } = SessionState.Connected;

    /// <summary>The name from the last accepted EHLO or HELO.</summary>
    public string? HeloName { get; internal set; }

    /// <summary>True after EHLO (ESMTP), false after HELO.</summary>
    public bool IsExtended { get; internal set; }

    public MailPath? Sender { get; internal set; }

    public IReadOnlyList<EsmtpParameter> SenderParameters { get; internal set; } = [];

    // Made on the first RCPT and the first message: an idle session holds neither list.
    private List<Recipient>? _recipients;
    private List<string>? _acceptedMessages;
    private string? _clientText;

    /// <summary>The recipients accepted in the open transaction.</summary>
    public IReadOnlyList<Recipient> Recipients => _recipients ?? (IReadOnlyList<Recipient>)[];

    /// <summary>RCPTs refused in the open transaction.</summary>
    public int RejectedRecipients { get; internal set; }

    /// <summary>BDAT octets taken in the open transaction.</summary>
    public long ChunkedOctets { get; internal set; }

    public int Commands { get; internal set; }

    /// <summary>Unrecognised, malformed and out-of-sequence commands so far.</summary>
    public int BadCommands { get; internal set; }

    /// <summary>Replies (or raw writes, or silent closes) a scenario rule or the failure addresses made so far.</summary>
    public int Faults { get; internal set; }

    /// <summary>Ids of the messages this session delivered.</summary>
    public IReadOnlyList<string> AcceptedMessages => _acceptedMessages ?? (IReadOnlyList<string>)[];

    /// <summary>How many times a transaction was dropped or ended (EHLO, RSET, end of message): tells a new one apart.</summary>
    public int TransactionResets { get; private set; }

    /// <summary>Why the session ended: QUIT, client closed, timeout, shutdown...</summary>
    public string? EndReason { get; internal set; }

    internal void ResetTransaction()
    {
        Sender = null;
        SenderParameters = [];
        _recipients?.Clear();
        RejectedRecipients = 0;
        ChunkedOctets = 0;
        TransactionResets++;
    }

    /// <summary>The TLS handshake this session runs over (STARTTLS or implicit TLS), or null for plaintext.</summary>
    public TlsHandshake? Tls { get; internal set; }

    public bool IsSecure => Tls is not null;

    /// <summary>The connection can be upgraded with STARTTLS (the listener gave the session its transport).</summary>
    internal bool CanStartTls { get; init; }

    /// <summary>The scenario the session runs with (the active one, its port's, or one it chose), or null for none.</summary>
    public string? Scenario { get; internal set; }

    /// <summary>How the session came to run <see cref="Scenario"/>: <c>active</c>, <c>port 2600</c>, <c>EHLO name</c>, <c>AUTH user</c>.</summary>
    public string? ScenarioChosenBy { get; internal set; }

    /// <summary>Extensions the last EHLO name took away, or null.</summary>
    internal ExtensionLimits? Limits { get; set; }

    /// <summary>A rule said <c>then: reset</c>: the connection ends with a TCP RST, not an orderly close.</summary>
    public bool ResetOnClose { get; internal set; }

    /// <summary>Who AUTH authenticated (235), or null.</summary>
    public string? AuthenticatedUser { get; internal set; }

    /// <summary>The SASL mechanism of the AUTH in progress or that succeeded (<c>PLAIN</c>, <c>CRAM-MD5</c>...).</summary>
    public string? AuthMechanism { get; internal set; }

    /// <summary>The user named in the AUTH in progress, once the client has given it (scenario condition <c>user</c>).</summary>
    public string? AuthUser { get; internal set; }

    /// <summary>Lines the client sent in answer to a 334 (not commands; each got one reply, like a command).</summary>
    public int AuthResponses { get; internal set; }

    /// <summary>Refused AUTH logins (535) so far.</summary>
    public int AuthFailures { get; internal set; }

    /// <summary>
    /// RFC 3207 §4.2: after the handshake the session starts over, as if just connected (AUTH included). The state goes
    /// back to Connected through the state table; this forgets what the plaintext part of the session knew.
    /// </summary>
    internal void ForgetForTls(TlsHandshake handshake)
    {
        Tls = handshake;
        ResetTransaction();
        HeloName = null;
        IsExtended = false;
        Limits = null;
        AuthenticatedUser = null;
        AuthMechanism = null;
        AuthUser = null;
    }

    internal void AddRecipient(Recipient recipient) => (_recipients ??= []).Add(recipient);

    internal void AddAcceptedMessage(string id) => (_acceptedMessages ??= []).Add(id);
}
