using System.Net;
using SmtpMock.Protocol.Framing;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Hosting;

/// <summary>Everything a server is started with. Immutable; every option is read somewhere.</summary>
public sealed partial record SmtpServerOptions
{
    /// <summary>Where to listen. Port 0 picks a free port (read it back from <see cref="SmtpMockServer.EndPoint"/>).</summary>
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, 2525);

    /// <summary>The name in the greeting and the EHLO reply.</summary>
    public string Hostname { get; init; } = "localhost";

    /// <summary>The SIZE advertised and enforced (RFC 1870), in octets.</summary>
    public long MaxMessageSize { get; init; } = 35 * 1024 * 1024;

    /// <summary>Past this many accepted recipients a RCPT gets 452 4.5.3 (RFC 5321 §4.5.3.1.8: at least 100).</summary>
    public int MaxRecipients { get; init; } = 100;

    /// <summary>The longest plain command line, CRLF included (RFC 5321: at least 512). MAIL and AUTH get more.</summary>
    public int MaxCommandLineLength { get; init; } = 512;

    /// <summary>The longest DATA text line, CRLF included (RFC 5321 §4.5.3.1.6: at least 1000).</summary>
    public int MaxDataLineLength { get; init; } = 1000;

    /// <summary>What a bare CR or LF inside DATA becomes; it never ends the message either way.</summary>
    public BareLineEndingPolicy BareLineEndingsInData { get; init; } = BareLineEndingPolicy.Normalize;

    /// <summary>When true a command line ended by a bare LF gets 500; when false (telnet, netcat) it is accepted.</summary>
    public bool StrictLineEndings { get; init; }

    /// <summary>
    /// The longest <see cref="CommandTimeout"/> or <see cref="DataTimeout"/>: a session's deadline is a timer, and a
    /// timer cannot be set past about 49.7 days (longer ones would fail every session at its first command).
    /// </summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(49);

    /// <summary>How long a client may take to send a whole command line before 421 4.4.2.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a client may go without sending anything during DATA or a BDAT chunk before 421 4.4.2.</summary>
    public TimeSpan DataTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long one message may take in all (DATA content, or every BDAT chunk of it) before 421 4.4.2 and nothing
    /// captured: <see cref="DataTimeout"/> restarts on every read, so one byte every few minutes held a session for ever.
    /// </summary>
    public TimeSpan DataDeadline { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Connections served at once; one more is answered 421 4.7.0 and closed.</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>
    /// Connections from one client address at once (as Postfix's <c>smtpd_client_connection_count_limit</c>); one more
    /// is answered 421 4.7.0 and closed. Loopback is not exempt: one test suite cannot take every slot.
    /// </summary>
    public int MaxConnectionsPerAddress { get; init; } = 100;

    /// <summary>Unrecognised or malformed commands a session may send before 421 4.7.0 closes it.</summary>
    public int MaxBadCommands { get; init; } = 20;

    /// <summary>Messages the store keeps (the whole store, for a shared one); the oldest go first.</summary>
    public int MaxStoredMessages { get; init; } = 1000;

    /// <summary>Octets of message content the store keeps (the whole store, for a shared one); the oldest messages go first.</summary>
    public long MaxStoredBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>When set, every accepted message is also written there as <c>id.eml</c> and <c>id.json</c>.</summary>
    public string? StoreDirectory { get; init; }

    /// <summary>Stored mail readable by other local users (folder 0755, files 0644) instead of the user alone (0700, 0600).</summary>
    public bool StoreShared { get; init; }

    /// <summary>
    /// Where captured mail lives when it is not this process's memory or <see cref="StoreDirectory"/>: a store several
    /// instances share (PostgreSQL). The caller owns it (the server does not dispose it).
    /// </summary>
    public Capture.IMessageStore? MessageStore { get; init; }

    /// <summary>
    /// Where finished sessions are kept when it is not this process's memory: an archive several instances share
    /// (PostgreSQL), which also hands out session ids so they never collide. The caller owns it.
    /// </summary>
    public History.ISessionArchive? SessionArchive { get; init; }

    /// <summary>
    /// This instance's name among several that share a store and a state (<c>--instance-id</c>): in each transcript,
    /// the API, the console and webhook bodies. Empty for a lone process.
    /// </summary>
    public string InstanceId { get; init; } = string.Empty;

    /// <summary>How this instance tells the others sharing its store what its sessions do (Redis pub/sub); none by default. The caller owns it.</summary>
    public Cluster.IEventBus EventBus { get; init; } = Cluster.LocalEventBus.Instance;

    /// <summary>Session transcripts kept after their sessions end; the oldest go first.</summary>
    public int MaxTranscripts { get; init; } = 1000;

    /// <summary>
    /// Lines all kept transcripts hold together; the oldest transcripts go first past it, so a long run of busy
    /// sessions keeps memory bounded however many lines each had.
    /// </summary>
    public int MaxTranscriptLinesKept { get; init; } = 200_000;

    /// <summary>Lines one transcript keeps; past it, one note says how many were left out.</summary>
    public int MaxTranscriptLines { get; init; } = 10_000;

    /// <summary>Scenario files, or folders of <c>*.yaml</c> files, to load (and watch for changes).</summary>
    public IReadOnlyList<string> ScenarioPaths { get; init; } = [];

    /// <summary>
    /// Where scenario counters, keys and greylisting live: this process's memory by default, or a state several
    /// instances share (Redis) so that a scenario means the same whichever instance a connection lands on.
    /// </summary>
    public Scenarios.IScenarioState? ScenarioState { get; init; }

    /// <summary>The name of the scenario to start with; by default the first file's.</summary>
    public string? ActiveScenario { get; init; }

    /// <summary>
    /// Recipients at <c>smtpmock.test</c> ask for a failure by their local part (<c>503@smtpmock.test</c>,
    /// <c>552-data@smtpmock.test</c>, <c>greylist@smtpmock.test</c>...) with no scenario at all; an active
    /// scenario's rules are asked first. On by default; false (<c>--no-simulator</c>) treats them as any address.
    /// </summary>
    public bool Simulator { get; init; } = true;

    /// <summary>Where to POST JSON events (message captured or refused, session ended), or null for none.</summary>
    public Webhooks.WebhookOptions? Webhooks { get; init; }

    /// <summary>
    /// When set, every connection must start with a PROXY protocol header from a trusted load balancer, and the
    /// header's source is the session's client (null: off, the socket's peer is the client).
    /// </summary>
    public ProxyProtocolOptions? ProxyProtocol { get; init; }

    /// <summary>How long shutdown waits for sessions to take their 421 and close.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock for timestamps and timeouts; tests inject their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The version in the greeting.</summary>
    public static string Version => ServerVersion.Text;

    /// <summary>Checks the options, with one message for each problem.</summary>
    public IReadOnlyList<string> Validate() => OptionsValidation.Problems(this);
}
