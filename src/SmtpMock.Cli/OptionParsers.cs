using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace SmtpMock.Cli;

/// <summary>
/// Options whose bad values are explained in the user's terms: System.CommandLine's own messages name .NET types
/// ("expected type 'System.Int32'"), which says nothing to someone typing <c>--port abc</c>.
/// </summary>
internal static class OptionParsers
{
    /// <summary>A TCP port, 0 to 65535.</summary>
    public static Option<int> Port(string name, string description, int defaultValue, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = "PORT",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = Text(result);
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var port))
                {
                    result.AddError($"{name} '{text}' is not a port number (use 0 to 65535; 0 picks a free port)");
                    return 0;
                }

                if (port is < 0 or > 65535)
                {
                    result.AddError($"{name} {text} is outside 0-65535");
                    return 0;
                }

                return (int)port;
            },
        };

    /// <summary>A whole number; its range is checked with the other options (SmtpServerOptions.Validate).</summary>
    public static Option<T> Number<T>(string name, string helpName, string description, T defaultValue)
        where T : struct, IBinaryInteger<T> =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = Text(result);
                if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }

                result.AddError($"{name} '{text}' is not a whole number (e.g. {name} {defaultValue})");
                return defaultValue;
            },
        };

    /// <summary>One of an enum's names, in any case; a wrong one gets the list of right ones.</summary>
    public static Option<T> Choice<T>(string name, string description, T defaultValue)
        where T : struct, Enum
    {
        var names = Enum.GetNames<T>();
        return new(name)
        {
            Description = description,
            HelpName = string.Join('|', names),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = Text(result);
                var match = names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
                if (match is not null)
                {
                    return Enum.Parse<T>(match);
                }

                result.AddError($"{name} '{text}' is not one of: {string.Join(", ", names)}");
                return defaultValue;
            },
        };
    }

    private static string Text(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
}
