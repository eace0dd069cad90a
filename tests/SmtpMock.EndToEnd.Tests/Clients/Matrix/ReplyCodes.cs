using System.Globalization;
using System.Text.RegularExpressions;

namespace SmtpMock.EndToEnd.Tests.Clients.Matrix;

/// <summary>The code and enhanced code of a reply, as the verdicts show them: "451 4.7.1", or "554" when there is no enhanced code.</summary>
internal static partial class ReplyCodes
{
    /// <summary>From a whole reply line: "451 4.7.1 Greylisted" gives "451 4.7.1"; a line with no code gives null.</summary>
    public static string? OfLine(string line)
    {
        var match = Line().Match(line);
        return match.Success ? Short(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value) : null;
    }

    /// <summary>From a code and the text after it, as smtplib keeps them: 451 and "4.7.1 Greylisted" give "451 4.7.1".</summary>
    public static string Short(int code, string? text)
    {
        var match = Enhanced().Match(text ?? string.Empty);
        return match.Success ? string.Create(CultureInfo.InvariantCulture, $"{code} {match.Groups[1].Value}") : code.ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(\d{3})[ -](.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Line();

    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3})(?: |$)", RegexOptions.CultureInvariant)]
    private static partial Regex Enhanced();
}
