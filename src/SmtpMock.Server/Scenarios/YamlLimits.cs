using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// What a scenario's YAML may hold before it is turned into nodes, checked by YamlDotNet's event parser (a loop, not a
/// recursion) in one place every path shares: <c>serve</c>, its file watcher, <c>validate</c> and <c>PUT /api/v1/scenario</c>.
/// Building nodes recurses once per level of nesting, and 100,000 levels overflowed the stack, which .NET cannot catch:
/// the whole process, SMTP included, was gone (and parse time grew with the square of the depth before that).
/// </summary>
internal static class YamlLimits
{
    /// <summary>Levels of nesting: a scenario needs about five (rules, a rule, when, a list), so 32 is generous.</summary>
    public const int MaxDepth = 32;

    /// <summary>Aliases (<c>*name</c>): enough for anchors reused across rules, too few to make an alias bomb.</summary>
    public const int MaxAliases = 1000;

    /// <summary>The octets a scenario may have, as text or file (the API's body limit too).</summary>
    public const int MaxOctets = 1024 * 1024;

    /// <summary>The first limit <paramref name="text"/> passes, as a positioned problem; null when it is within them all.</summary>
    public static ScenarioProblem? Check(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        var aliases = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case SequenceStart or MappingStart when ++depth > MaxDepth:
                        return At(parser.Current, file, $"nested more than {MaxDepth} levels deep; a scenario needs a handful (rules, a rule, when, a list)");
                    case SequenceEnd or MappingEnd:
                        depth--;
                        break;
                    case AnchorAlias when ++aliases > MaxAliases:
                        return At(parser.Current, file, $"more than {MaxAliases} aliases (*name); write the rules out instead");
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException or NullReferenceException or IndexOutOfRangeException)
        {
            // Not valid YAML: the loader reports where, with its own words.
        }

        return null;
    }

    private static ScenarioProblem At(ParsingEvent at, string file, string message) =>
        new(file, (int)at.Start.Line, (int)at.Start.Column, message);
}
