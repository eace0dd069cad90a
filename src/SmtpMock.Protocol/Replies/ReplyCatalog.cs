using System.Collections.Frozen;

namespace SmtpMock.Protocol.Replies;

/// <summary>
/// The standard enhanced code and text for a reply code, used when a scenario gives only a number
/// (<c>reply: 503</c>). Codes follow RFC 5321 §4.2 and the usual pairings (500 5.5.2, 501 5.5.4, 502 5.5.1,
/// 503 5.5.1, 504 5.5.4, 452 4.5.3, 552 5.3.4, 554 5.5.1, 421 4.4.2); a code not listed gets class.0.0 and a
/// text by class.
/// </summary>
public static class ReplyCatalog
{
    private static readonly FrozenDictionary<int, (string Enhanced, string Text)> Known = new Dictionary<int, (string, string)>
    {
        [211] = ("2.0.0", "System status"),
        [214] = ("2.0.0", "Help message"),
        [220] = ("2.0.0", "Service ready"),
        [221] = ("2.0.0", "Service closing transmission channel"),
        [235] = ("2.7.0", "Authentication successful"),
        [250] = ("2.0.0", "OK"),
        [251] = ("2.1.5", "User not local; will forward"),
        [252] = ("2.0.0", "Cannot VRFY user, but will accept message and attempt delivery"),
        [421] = ("4.4.2", "Service not available, closing transmission channel"),
        [450] = ("4.2.0", "Requested mail action not taken: mailbox unavailable"),
        [451] = ("4.3.0", "Requested action aborted: local error in processing"),
        [452] = ("4.5.3", "Requested action not taken: too many recipients"),
        [454] = ("4.7.0", "Temporary authentication failure"),
        [455] = ("4.5.4", "Server unable to accommodate parameters"),
        [500] = ("5.5.2", "Syntax error, command unrecognized"),
        [501] = ("5.5.4", "Syntax error in parameters or arguments"),
        [502] = ("5.5.1", "Command not implemented"),
        [503] = ("5.5.1", "Bad sequence of commands"),
        [504] = ("5.5.4", "Command parameter not implemented"),
        [521] = ("5.3.2", "Server does not accept mail"),
        [530] = ("5.7.0", "Authentication required"),
        [534] = ("5.7.9", "Authentication mechanism is too weak"),
        [535] = ("5.7.8", "Authentication credentials invalid"),
        [538] = ("5.7.11", "Encryption required for requested authentication mechanism"),
        [550] = ("5.1.1", "Requested action not taken: mailbox unavailable"),
        [551] = ("5.1.6", "User not local"),
        [552] = ("5.3.4", "Requested mail action aborted: exceeded storage allocation"),
        [553] = ("5.1.3", "Requested action not taken: mailbox name not allowed"),
        [554] = ("5.5.1", "Transaction failed"),
        [555] = ("5.5.4", "MAIL FROM/RCPT TO parameters not recognized or not implemented"),
    }.ToFrozenDictionary();

    /// <summary>The standard enhanced code for <paramref name="code"/> (null for 3xx, which carry none).</summary>
    public static string? EnhancedFor(int code) =>
        code / 100 == 3 ? null : Known.TryGetValue(code, out var known) ? known.Enhanced : $"{code / 100}.0.0";

    public static string TextFor(int code) => code switch
    {
        354 => "Start mail input; end with <CRLF>.<CRLF>",
        _ when Known.TryGetValue(code, out var known) => known.Text,
        _ => (code / 100) switch
        {
            2 => "Requested action completed",
            3 => "Intermediate reply",
            4 => "Temporary failure, try again later",
            _ => "Permanent failure",
        },
    };
}
