namespace SmtpMock.Control.Model;

/// <summary>
/// A message in the list: what the page marks it with (attachments, an HTML part, TLS, a login, injected faults)
/// and what a test filters on.
/// </summary>
internal sealed record MessageSummary(
    string Id,
    long SessionId,
    string From,
    string[] To,
    string? Subject,
    long Size,
    DateTimeOffset ReceivedAt,
    int Attachments,
    bool HasHtml,
    TlsView? Tls,
    string? AuthenticatedUser,
    string? AuthMechanism,
    int? Faults,
    Generated? GeneratedFrom,
    bool Read,
    string[] Tags);

/// <summary>A message the server generated about another (a bounce, an auto-reply, a complaint): what it is and the other's id.</summary>
internal sealed record Generated(string Kind, string Id);

/// <summary>The TLS a message came over, as OpenSSL and Postfix name it: <c>TLSv1.3</c>, <c>TLS_AES_256_GCM_SHA384</c>.</summary>
internal sealed record TlsView(string Protocol, string Cipher);

internal sealed record MessagePage(MessageSummary[] Items, string? NextCursor);

internal sealed record Parameter(string Keyword, string? Value);

internal sealed record EnvelopeRecipient(string Address, Parameter[] Parameters);

internal sealed record Envelope(string From, Parameter[] MailParameters, EnvelopeRecipient[] Recipients);

internal sealed record Header(string Name, string Value);

internal sealed record Attachment(int Index, string? FileName, string ContentType, long Size);

internal sealed record MessageDetail(
    string Id,
    long SessionId,
    DateTimeOffset ReceivedAt,
    string Client,
    string HeloName,
    Envelope Envelope,
    string? Subject,
    Header[] Headers,
    string? Text,
    string? Html,
    Attachment[] Attachments,
    long Size,
    TlsView? Tls,
    string? AuthenticatedUser,
    string? AuthMechanism,
    int? Faults,
    Generated? GeneratedFrom,
    Generated[] Produced,
    bool Read,
    string[] Tags);

internal sealed record SessionSummary(long Id, string Client, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? HeloName, int Commands, int Messages, int Faults, string? EndReason, string Instance, string? Scenario, string? ScenarioChosenBy);

internal sealed record TranscriptEntry(DateTimeOffset At, string Direction, string Line, string? Rule);

internal sealed record SessionDetail(
    long Id,
    string Client,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? HeloName,
    int Commands,
    int Messages,
    int Faults,
    string? EndReason,
    string Instance,
    string? Tls,
    string? AuthenticatedUser,
    string? Scenario,
    string? ScenarioChosenBy,
    string[] MessageIds,
    TranscriptEntry[] Transcript);

internal sealed record RuleView(string Name, int Line, string[] On, int Fired);

internal sealed record ScenarioView(string? Name, string? Description, string? Source, string? Yaml, RuleView[] Rules, string[] Loaded);

/// <summary>One problem of a refused scenario, at its place in the body (a problem answer's <c>problems</c> extension).</summary>
internal sealed record ProblemItem(string File, int Line, int Column, string Message);


/// <summary>/healthz: also whether a relay was named (--relay), so the page offers "Release…" only when it can work.</summary>
internal sealed record Health(string Status, string Version, int SmtpPort, int ActiveSessions, bool Relay);

internal sealed record ServerEvent(string Type, DateTimeOffset At, long? SessionId = null, string? Direction = null, string? Line = null, string? Rule = null, string? MessageId = null, string? Scenario = null, string? Instance = null);
