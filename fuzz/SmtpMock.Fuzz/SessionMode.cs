using Microsoft.Extensions.Time.Testing;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Fuzz;

/// <summary>
/// How the session target sets up the server, from the high bits of the input's first byte (the low four choose the
/// read size): who may log in, whether STARTTLS is offered, and whether TLS and a login are required. Mode 0 is the
/// target as it was before the modes (every mechanism in clear, one configured user, anyone else accepted), so the
/// older seeds and crashes keep their meaning.
/// </summary>
public sealed record SessionMode(int Bits)
{
    /// <summary>The one configured user's name and password.</summary>
    public const string User = "tim";

    public const string Password = "tanstaaftanstaaf";

    private static readonly SessionMode[] All = [.. Enumerable.Range(0, 16).Select(bits => new SessionMode(bits))];

    public static SessionMode Of(byte first) => All[first >> 4];

    /// <summary>Who gets in: 0 the user or anyone else, 1 the user only, 2 anyone (no users at all), 3 the user only and a login is required.</summary>
    public int Credentials => Bits & 3;

    /// <summary>Only configured users can log in: any other name that got a 235 is a finding.</summary>
    public bool UsersOnly => Credentials is 1 or 3;

    /// <summary>The session gets an upgrader (a fake handshake on the same bytes), so it offers STARTTLS.</summary>
    public bool OffersTls => (Bits & 4) != 0;

    /// <summary>MAIL, RCPT, DATA, BDAT and AUTH want TLS first, and PLAIN, LOGIN and XOAUTH2 are not offered in clear.</summary>
    public bool Strict => (Bits & 8) != 0;

    public bool AuthRequired => Credentials == 3;

    /// <summary>The server's options for this mode, made once per mode.</summary>
    public SmtpServerOptions Options { get; } = Make(Bits);

    private static SmtpServerOptions Make(int bits) => new()
    {
        Hostname = "fuzz.test",
        TimeProvider = new FakeTimeProvider(),
        MaxMessageSize = 64 * 1024,
        MaxRecipients = 5,
        MaxBadCommands = 1000,
        MaxTranscriptLines = 2000,
        AllowPlaintextAuth = (bits & 8) == 0,
        RequireTls = (bits & 8) != 0,
        AuthUsers = (bits & 3) == 2 ? new Dictionary<string, string>() : new Dictionary<string, string> { [User] = Password },
        AuthAcceptAny = (bits & 3) switch { 0 => true, 2 => null, _ => false },
        AuthRequired = (bits & 3) == 3,
        MaxAuthFailures = 1000,
    };
}
