using System.Globalization;
using SmtpMock.Protocol.Replies;
using SmtpMock.Server.Session;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// EHLO (or HELO) names at <c>smtpmock.test</c>: <c>421.smtpmock.test</c> (any 4xx/5xx code) answers EHLO with that code;
/// <c>nopipelining.nostarttls.noauth.nochunking.no8bitmime.size1000.smtpmock.test</c> (any of the words, in any order)
/// makes the session advertise and enforce only what is left (<see cref="ExtensionLimits"/>).
/// </summary>
internal static class EhloWords
{
    private const string Suffix = "." + FailureAddresses.Domain;

    public static Intervention? Decide(ScenarioPoint point, string? name)
    {
        if (name is null || !name.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase) || name.Length == Suffix.Length)
        {
            return null;
        }

        var label = name[..^Suffix.Length].ToLowerInvariant();
        if (FailureForm.TryCode(label, out var code))
        {
            return new Intervention("simulator:" + label, 0) { Reply = PointReplies.For(point, code) };
        }

        var (pipelining, starttls, auth, chunking, eightBit) = (false, false, false, false, false);
        long? size = null;
        foreach (var word in label.Split('.'))
        {
            switch (word)
            {
                case "nopipelining":
                    pipelining = true;
                    break;
                case "nostarttls":
                    starttls = true;
                    break;
                case "noauth":
                    auth = true;
                    break;
                case "nochunking":
                    chunking = true;
                    break;
                case "no8bitmime":
                    eightBit = true;
                    break;
                case var s when s.StartsWith("size", StringComparison.Ordinal)
                    && long.TryParse(s.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0:
                    size = limit;
                    break;
                default:
                    // Not a word of this family (another helper's scenario name, a typo): the name is an ordinary one.
                    return null;
            }
        }

        return new Intervention("simulator:" + label, 0) { Limits = new ExtensionLimits(pipelining, starttls, auth, chunking, eightBit, size) };
    }
}
