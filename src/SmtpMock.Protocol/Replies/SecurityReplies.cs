namespace SmtpMock.Protocol.Replies;

/// <summary>
/// The default replies for STARTTLS (RFC 3207) and AUTH (RFC 4954 §4, §6), kept apart from
/// <see cref="StandardReplies"/> so the two can change without touching each other. Each code and enhanced code is
/// the one the RFC names for the situation, and a row of <see cref="ReplyCatalog"/> (a test holds them to it).
/// </summary>
internal static class SecurityReplies
{
    public static readonly SmtpReply AuthSucceeded = new(235, "2.7.0", "Authentication successful");
    public static readonly SmtpReply InvalidCredentials = new(535, "5.7.8", "Authentication credentials invalid");
    public static readonly SmtpReply MechanismTooWeak = new(534, "5.7.9", "Authentication mechanism is too weak");
    public static readonly SmtpReply EncryptionRequired = new(538, "5.7.11", "Encryption required for requested authentication mechanism");
    public static readonly SmtpReply TemporaryAuthFailure = new(454, "4.7.0", "Temporary authentication failure");
    public static readonly SmtpReply MustStartTls = new(530, "5.7.0", "Must issue a STARTTLS command first");
    public static readonly SmtpReply AuthRequired = new(530, "5.7.0", "Authentication required");
    public static readonly SmtpReply AlreadyAuthenticated = new(503, "5.5.1", "Bad sequence of commands: already authenticated");
    public static readonly SmtpReply AuthInTransaction = new(503, "5.5.1", "Bad sequence of commands: AUTH not allowed during a mail transaction");
    public static readonly SmtpReply AuthCancelled = new(501, "5.7.0", "Authentication cancelled");
    public static readonly SmtpReply BadBase64 = new(501, "5.5.2", "Cannot Base64-decode client response");
    public static readonly SmtpReply MalformedAuthResponse = new(501, "5.5.2", "Malformed authentication response");
    public static readonly SmtpReply AuthSyntax = new(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
    public static readonly SmtpReply NoInitialResponseAllowed = new(501, "5.5.4", "This mechanism takes no initial response");
    public static readonly SmtpReply UnknownMechanism = new(504, "5.5.4", "Unrecognized authentication mechanism");
    public static readonly SmtpReply AuthLineTooLong = new(500, "5.5.6", "Authentication exchange line is too long");
    public static readonly SmtpReply TooManyAuthFailures = new(421, "4.7.0", "Too many authentication failures, closing connection");

    public static readonly SmtpReply ReadyToStartTls = new(220, "2.0.0", "Ready to start TLS");
    public static readonly SmtpReply TlsNotAvailable = new(454, "4.7.0", "TLS not available due to temporary reason");
    public static readonly SmtpReply AlreadyUsingTls = new(503, "5.5.1", "Bad sequence of commands: TLS already active");

    /// <summary>A step of an AUTH exchange: <c>334</c> and the base64 challenge (may be empty), no enhanced code.</summary>
    public static SmtpReply AuthChallenge(string text) => new(334, null, text);
}
