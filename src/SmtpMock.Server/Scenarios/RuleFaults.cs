using System.Globalization;
using System.Text.RegularExpressions;
using SmtpMock.Server.Session;
using YamlDotNet.RepresentationModel;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// What a rule does to the connection beyond its reply: <c>then:</c> (continue, close, hang, reset), <c>throttle:</c>,
/// <c>fragment:</c> and, at STARTTLS, <c>tls:</c>. Read apart from the reply so each stays small.
/// </summary>
internal sealed partial record RuleFaults(bool Close, bool Hang, bool Reset, int? Throttle, bool Fragment, TlsFault Tls)
{
    /// <summary>The most octets a second <c>throttle</c> may ask for (100 MB/s: past that it is no throttle).</summary>
    public const int MaxRate = 100_000_000;

    public static readonly RuleFaults None = new(false, false, false, null, false, TlsFault.None);

    /// <summary>The rule ends its session's dialog (close, reset, hang), so <c>reply: none</c> is allowed.</summary>
    public bool Ends => Close || Hang || Reset;

    /// <summary>The rule does something even without a reply or a delay.</summary>
    public bool Acts => Ends || Throttle is not null || Fragment || Tls != TlsFault.None;

    public static RuleFaults Read(YamlReading reading, IReadOnlyDictionary<string, YamlNode> keys, IReadOnlySet<ScenarioPoint> points)
    {
        var (close, hang, reset) = (false, false, false);
        if (keys.TryGetValue("then", out var then))
        {
            switch (reading.String(then, "then"))
            {
                case "close":
                    close = true;
                    break;
                case "hang":
                    hang = true;
                    break;
                case "reset":
                    reset = true;
                    break;
                case "continue":
                case null:
                    break;
                case var other:
                    reading.Fail(then, $"then must be 'continue', 'close', 'hang' or 'reset', not '{other}'");
                    break;
            }
        }

        int? throttle = null;
        if (keys.TryGetValue("throttle", out var t) && reading.String(t, "throttle") is { } text)
        {
            throttle = TryRate(text, out var rate) ? rate : null;
            if (throttle is null)
            {
                reading.Fail(t, $"throttle must be a rate such as 200B/s or 2KB/s (1 B/s to 100MB/s), not '{text}'");
            }
        }

        var fragment = false;
        if (keys.TryGetValue("fragment", out var f))
        {
            switch (reading.String(f, "fragment"))
            {
                case "true":
                    fragment = true;
                    break;
                case "false":
                case null:
                    break;
                case var other:
                    reading.Fail(f, $"fragment must be true or false, not '{other}'");
                    break;
            }
        }

        return new RuleFaults(close, hang, reset, throttle, fragment, ReadTls(reading, keys, points));
    }

    /// <summary><c>200B/s</c>, <c>2KB/s</c> (1000 octets), <c>1MB/s</c>: the rate in octets a second.</summary>
    public static bool TryRate(string text, out int rate)
    {
        rate = 0;
        var match = RatePattern().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        var octets = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "KB" => n * 1000,
            "MB" => n * 1_000_000,
            _ => n,
        };
        if (octets is < 1 or > MaxRate)
        {
            return false;
        }

        rate = (int)octets;
        return true;
    }

    private static TlsFault ReadTls(YamlReading reading, IReadOnlyDictionary<string, YamlNode> keys, IReadOnlySet<ScenarioPoint> points)
    {
        if (!keys.TryGetValue("tls", out var node))
        {
            return TlsFault.None;
        }

        if (points.Count != 1 || !points.Contains(ScenarioPoint.StartTls))
        {
            reading.Fail(node, "tls: fail or old acts on the handshake, so the rule must be 'on: STARTTLS' alone");
        }

        switch (reading.String(node, "tls"))
        {
            case "fail":
                return TlsFault.Fail;
            case "old":
                return TlsFault.Old;
            case var other:
                reading.Fail(node, $"tls must be 'fail' (garbage after the 220) or 'old' (only TLS 1.0 and 1.1), not '{other}'");
                return TlsFault.None;
        }
    }

    [GeneratedRegex(@"^(?<n>\d{1,10})\s*(?<unit>B|KB|MB)/s$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex RatePattern();
}
