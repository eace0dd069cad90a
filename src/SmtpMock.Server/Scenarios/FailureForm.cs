using System.Globalization;

namespace SmtpMock.Server.Scenarios;

/// <summary>What a failure address's local part asks for.</summary>
internal enum FailureKind
{
    /// <summary>Not a form: a recipient or sender gets the 550 that lists the forms.</summary>
    Unknown,

    /// <summary><c>503@</c>: that code where the address is given (RCPT, MAIL, or the AUTH user).</summary>
    Code,

    /// <summary><c>552-data@</c>: accepted, the message refused with that code after the final dot.</summary>
    DataCode,
    Disconnect,
    DisconnectData,
    Greylist,

    /// <summary><c>delay-10s@</c>: accepted late (at AUTH, <c>slow-3s@</c> says the same).</summary>
    Delay,
    Hang,
    Reset,

    /// <summary><c>reset-data@</c>: accepted; the connection is reset after DATA's 354, while the client sends its message.</summary>
    ResetData,

    /// <summary><c>slow-200bps@</c>: accepted; the session's replies from then on at that many octets a second.</summary>
    Throttle,
    Fragment,
}

/// <summary>
/// A failure address's local part, read: <c>503</c>, <c>552-data</c>, <c>greylist-5s</c>, <c>hang</c>, <c>slow-200bps</c>...
/// A plus-label (<c>503+signup-test</c>) is ignored here and kept in the address, so parallel tests tell their mail apart.
/// </summary>
internal readonly record struct FailureForm(FailureKind Kind, string Name, int Code = 0, TimeSpan Duration = default, int Rate = 0)
{
    private static readonly TimeSpan DefaultGreylistWindow = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxGreylistWindow = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(10);

    /// <summary>The forms, as the 550 for an unknown local part and the start-up line list them.</summary>
    public const string List = "503@, 552-data@ (any 4xx/5xx code), greylist@, greylist-5s@, delay-10s@, disconnect@, disconnect-data@, hang@, reset@, reset-data@, slow-200bps@, fragment@";

    /// <summary>The form a local part names (case-insensitive, a <c>+label</c> ignored).</summary>
    public static FailureForm Of(string localPart)
    {
        var name = localPart.ToLowerInvariant();
        var plus = name.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            name = name[..plus];
        }

        return name switch
        {
            "disconnect" => new(FailureKind.Disconnect, name),
            "disconnect-data" => new(FailureKind.DisconnectData, name),
            "hang" => new(FailureKind.Hang, name),
            "reset" => new(FailureKind.Reset, name),
            "reset-data" => new(FailureKind.ResetData, name),
            "fragment" => new(FailureKind.Fragment, name),
            "greylist" => new(FailureKind.Greylist, name, Duration: DefaultGreylistWindow),
            _ when TryCode(name, out var code) => new(FailureKind.Code, name, code),
            _ when name.EndsWith("-data", StringComparison.Ordinal) && TryCode(name[..^"-data".Length], out var code) => new(FailureKind.DataCode, name, code),
            _ when After(name, "greylist-") is { } text && TryDuration(text, MaxGreylistWindow, out var window) => new(FailureKind.Greylist, name, Duration: window),
            _ when (After(name, "delay-") ?? After(name, "slow-")) is { } text && TryDuration(text, MaxDelay, out var delay) => new(FailureKind.Delay, name, Duration: delay),
            _ when After(name, "slow-") is { } text && text.EndsWith("bps", StringComparison.Ordinal) && RuleFaults.TryRate(text[..^"bps".Length] + "B/s", out var rate) => new(FailureKind.Throttle, name, Rate: rate),
            _ => new(FailureKind.Unknown, "unknown"),
        };
    }

    /// <summary>A local part that is a 4xx or 5xx reply code.</summary>
    public static bool TryCode(string text, out int code)
    {
        code = 0;
        return text.Length == 3
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code)
            && code is >= 400 and <= 599;
    }

    private static string? After(string name, string prefix) => name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : null;

    private static bool TryDuration(string text, TimeSpan max, out TimeSpan duration) =>
        Durations.TryParse(text, out duration) && duration > TimeSpan.Zero && duration <= max;
}
