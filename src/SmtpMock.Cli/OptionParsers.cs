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
    /// <summary>A TCP port a server listens on: 0 to 65535, 0 picks a free one.</summary>
    public static Option<int> Port(string name, string description, int defaultValue, params string[] aliases) =>
        Port(name, description, defaultValue, 0, aliases);

    /// <summary>A TCP port from <paramref name="min"/> (0 for a server, which then picks a free one) to 65535.</summary>
    public static Option<int> Port(string name, string description, int defaultValue, int min, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = "PORT",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParsePort(result, name, min) ?? 0,
        };

    /// <summary>A TCP port that is off unless given (serve's <c>--tls-port</c>).</summary>
    public static Option<int?> OptionalPort(string name, string description) =>
        new(name)
        {
            Description = description,
            HelpName = "PORT",
            CustomParser = result => ParsePort(result, name, 0),
        };

    private static int? ParsePort(ArgumentResult result, string name, int min)
    {
        var text = Text(result);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var port))
        {
            result.AddError(min == 0
                ? $"{name} '{text}' is not a port number (use 0 to 65535; 0 picks a free port)"
                : $"{name} '{text}' is not a port number (use 1 to 65535)");
            return null;
        }

        if (port < min || port > 65535)
        {
            result.AddError($"{name} {text} is outside {min.ToString(CultureInfo.InvariantCulture)}-65535");
            return null;
        }

        return (int)port;
    }

    /// <summary>
    /// A number from <paramref name="min"/> to <paramref name="max"/> (whole unless <typeparamref name="T"/> is
    /// double); a value out of range is refused here, with the flag's name and the bound to use, so no error further
    /// on has to guess which flag an option came from. <paramref name="minWhy"/> and <paramref name="maxWhy"/> follow
    /// the bound they explain, e.g. " (49 days)".
    /// </summary>
    public static Option<T> Number<T>(string name, string helpName, string description, T defaultValue, T min, T max, string minWhy = "", string maxWhy = "")
        where T : struct, INumber<T> =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = Text(result);
                var style = typeof(T) == typeof(double) ? NumberStyles.Float : NumberStyles.AllowLeadingSign;
                if (!T.TryParse(text, style, CultureInfo.InvariantCulture, out var value) || T.IsNaN(value))
                {
                    // All digits but past the type's range (e.g. 99999999999999999999): a whole number, too large or small.
                    var digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
                    if (typeof(T) != typeof(double) && digits.Length > 0 && digits.All(char.IsAsciiDigit))
                    {
                        result.AddError(text.StartsWith('-')
                            ? $"{name} {text} is too small: use at least {Invariant(min)}{minWhy}"
                            : $"{name} {text} is too large: use at most {Invariant(max)}{maxWhy}");
                        return defaultValue;
                    }

                    result.AddError($"{name} '{text}' is not {(typeof(T) == typeof(double) ? "a number" : "a whole number")} (e.g. {name} {Invariant(defaultValue)})");
                    return defaultValue;
                }

                if (value < min)
                {
                    result.AddError($"{name} {text} is too small: use at least {Invariant(min)}{minWhy}");
                }
                else if (value > max)
                {
                    result.AddError($"{name} {text} is too large: use at most {Invariant(max)}{maxWhy}");
                }

                return value;
            },
        };

    /// <summary>
    /// A file or folder path (a <c>CustomParser</c>): an empty one, what an unset variable in a script gives, is
    /// refused by the flag's name instead of System.CommandLine's "as expected type 'System.IO.FileInfo'".
    /// </summary>
    public static Func<ArgumentResult, T?> PathOf<T>(string name, Func<string, T> create)
        where T : FileSystemInfo =>
        result => ToPath(result, Text(result), name, create);

    /// <summary>A flag that names a file (<c>FILE</c> in help); an empty value is refused by the flag's name.</summary>
    public static Option<FileInfo?> FileOption(string name, string description) =>
        new(name) { Description = description, HelpName = "FILE", CustomParser = PathOf(name, text => new FileInfo(text)) };

    /// <summary>As <see cref="PathOf"/> for a repeatable flag (send's <c>--attach</c>, which crashed on an empty one).</summary>
    public static Func<ArgumentResult, FileInfo[]?> FilePaths(string name) =>
        result => result.Tokens.Select(token => ToPath(result, token.Value, name, text => new FileInfo(text))).OfType<FileInfo>().ToArray();

    private static T? ToPath<T>(ArgumentResult result, string text, string name, Func<string, T> create)
        where T : FileSystemInfo
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            result.AddError($"{name} is empty: give a path (is a variable unset?)");
            return null;
        }

        try
        {
            return create(text);
        }
        catch (ArgumentException)
        {
            result.AddError($"{name} '{text}' is not a usable path");
            return null;
        }
    }

    private static string Invariant<T>(T value)
        where T : INumber<T> => value.ToString(null, CultureInfo.InvariantCulture);

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
