using SmtpMock.Protocol.Auth;
using SmtpMock.Protocol.Framing;

namespace SmtpMock.Server.Session;

/// <summary>The part of the server's options a session reads: limits, timeouts, line endings, the clock.</summary>
internal sealed record SessionOptions
{
    public string Hostname { get; init; } = "localhost";

    public long MaxMessageSize { get; init; } = 35 * 1024 * 1024;

    public int MaxRecipients { get; init; } = 100;

    public int MaxCommandLineLength { get; init; } = 512;

    public int MaxDataLineLength { get; init; } = 1000;

    public BareLineEndingPolicy BareLineEndingsInData { get; init; }

    public bool StrictLineEndings { get; init; }

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan DataTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one message (DATA content, or all BDAT chunks) may take in all, however it trickles in.</summary>
    public TimeSpan DataDeadline { get; init; } = TimeSpan.FromMinutes(30);

    public int MaxBadCommands { get; init; } = 20;

    public int MaxTranscriptLines { get; init; } = 10_000;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>STARTTLS is offered where the connection can be upgraded (<see cref="SessionContext.CanStartTls"/>).</summary>
    public bool TlsEnabled { get; init; }

    /// <summary>MAIL, RCPT, DATA, BDAT and AUTH before TLS get 530 5.7.0.</summary>
    public bool RequireTls { get; init; }

    public bool AuthOffered { get; init; }

    /// <summary>PLAIN, LOGIN and XOAUTH2 are offered before TLS too.</summary>
    public bool AllowPlaintextAuth { get; init; }

    /// <summary>MAIL before AUTH gets 530 5.7.0.</summary>
    public bool AuthRequired { get; init; }

    public int MaxAuthFailures { get; init; } = Hosting.SmtpServerOptions.DefaultMaxAuthFailures;

    public CredentialStore Credentials { get; init; } = CredentialStore.AcceptingAny;

    /// <summary>
    /// The part of <paramref name="options"/> a session reads. TLS and AUTH requirements hold only where they are enabled;
    /// whether STARTTLS can run is the connection's (it needs a socket).
    /// </summary>
    public static SessionOptions From(Hosting.SmtpServerOptions options) => new()
    {
        Hostname = options.Hostname,
        MaxMessageSize = options.MaxMessageSize,
        MaxRecipients = options.MaxRecipients,
        MaxCommandLineLength = options.MaxCommandLineLength,
        MaxDataLineLength = options.MaxDataLineLength,
        BareLineEndingsInData = options.BareLineEndingsInData,
        StrictLineEndings = options.StrictLineEndings,
        CommandTimeout = options.CommandTimeout,
        DataTimeout = options.DataTimeout,
        DataDeadline = options.DataDeadline,
        MaxBadCommands = options.MaxBadCommands,
        MaxTranscriptLines = options.MaxTranscriptLines,
        TimeProvider = options.TimeProvider,
        TlsEnabled = options.EnableTls,
        RequireTls = options.RequireTls && options.EnableTls,
        AuthOffered = options.EnableAuth,
        AllowPlaintextAuth = options.AllowPlaintextAuth,
        AuthRequired = options.AuthRequired && options.EnableAuth,
        MaxAuthFailures = options.MaxAuthFailures,
        Credentials = options.AuthUsers.Count == 0 && options.AuthAcceptAny is null or true
            ? CredentialStore.AcceptingAny
            : new CredentialStore(options.AuthUsers, options.AuthAcceptAny),
    };
}
