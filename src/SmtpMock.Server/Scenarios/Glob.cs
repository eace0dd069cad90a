using System.Text;
using System.Text.RegularExpressions;

namespace SmtpMock.Server.Scenarios;

/// <summary>Address globs (<c>*@example.com</c>, <c>bob@*</c>, <c>user?@x</c>), case-insensitive, whole-address.</summary>
internal static class Glob
{
    public static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        foreach (var c in glob)
        {
            pattern.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
