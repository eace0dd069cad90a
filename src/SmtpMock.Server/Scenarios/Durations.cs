using System.Globalization;
using System.Text.RegularExpressions;

namespace SmtpMock.Server.Scenarios;

/// <summary>Durations as scenarios write them: <c>1500ms</c>, <c>2s</c>, <c>1.5s</c>, <c>5m</c>, <c>1h</c>, or a number of milliseconds.</summary>
internal static partial class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var match = Pattern().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        var unit = match.Groups["unit"].Value;
        var ms = unit switch
        {
            "s" => n * 1000,
            "m" => n * 60_000,
            "h" => n * 3_600_000,
            _ => n,
        };
        if (ms > TimeSpan.FromDays(1).TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)(?<unit>ms|s|m|h)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
