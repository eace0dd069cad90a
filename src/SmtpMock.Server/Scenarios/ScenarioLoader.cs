using System.Text;
using SmtpMock.Server.Hosting;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// Loads a scenario file and checks all of it, reporting every problem as <c>file:line:column: message</c>:
/// unknown keys and points, impossible codes, bad regexes, over-long reply lines and out-of-range numbers.
/// </summary>
public static class ScenarioLoader
{
    private static readonly string[] RootKeys = ["name", "description", "seed", "server", "rules", "auth"];
    private static readonly string[] ServerKeys = ["hostname", "greeting", "extensions"];

    /// <summary>Loads and validates a file; throws <see cref="ScenarioException"/> with every problem.</summary>
    public static Scenario Load(string path)
    {
        string text;
        try
        {
            var octets = new FileInfo(path).Length;
            if (octets > YamlLimits.MaxOctets)
            {
                throw new ScenarioException([new ScenarioProblem(path, 0, 0, $"the file is {octets} octets; a scenario is at most {YamlLimits.MaxOctets} (1 MiB)")]);
            }

            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException([new ScenarioProblem(path, 0, 0, $"cannot read the file: {e.Message}")]);
        }

        var (scenario, problems) = Parse(text, path);
        return problems.Count > 0 ? throw new ScenarioException(problems) : scenario!;
    }

    /// <summary>Parses scenario text; the scenario is null when there is any problem.</summary>
    public static (Scenario? Scenario, IReadOnlyList<ScenarioProblem> Problems) Parse(string text, string file)
    {
        var reading = new YamlReading(file);
        if (YamlLimits.Check(text, file) is { } tooMuch)
        {
            return (null, [tooMuch]);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && IndentingTab(text, (int)e.Start.Line) is { } tab)
            {
                // YamlDotNet blames the scalar before the tab; the tab itself is what to fix.
                reading.Fail(tab.Line, tab.Column, "a tab is used for indentation; YAML indents with spaces");
            }
            else
            {
                reading.Fail((int)e.Start.Line, (int)e.Start.Column, $"not valid YAML: {e.InnerException?.Message ?? e.Message}");
            }

            return (null, reading.Problems);
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner fails this way on some malformed input (found by fuzzing): still a problem
            // report, never a crash.
            reading.Fail(1, 1, $"not valid YAML (the parser gave up: {e.Message})");
            return (null, reading.Problems);
        }

        if (stream.Documents.Count != 1)
        {
            reading.Fail(1, 1, stream.Documents.Count == 0 ? "the file is empty" : "a scenario file holds one YAML document");
            return (null, reading.Problems);
        }

        var root = stream.Documents[0].RootNode;
        var keys = reading.Mapping(root, "the scenario", RootKeys);
        string? name = null;
        if (keys.TryGetValue("name", out var nameNode))
        {
            name = reading.String(nameNode, "name");
            if (name is not null && (name.Length == 0 || name.Any(char.IsWhiteSpace)))
            {
                reading.Fail(nameNode, "name must be one word, e.g. rcpt-bad-sequence");
            }
        }
        else if (root is YamlMappingNode)
        {
            reading.Fail(root, "the scenario needs a 'name'");
        }

        var description = keys.TryGetValue("description", out var d) ? reading.String(d, "description") : null;
        var seed = keys.TryGetValue("seed", out var s) ? reading.Int(s, "seed", int.MinValue, int.MaxValue) : null;
        var server = keys.TryGetValue("server", out var serverNode) ? ReadServer(reading, serverNode) : ServerPresentation.Default;

        var auth = keys.TryGetValue("auth", out var authNode) ? ScenarioAuth.Read(reading, authNode) : null;
        var rules = new List<ScenarioRule>();
        if (keys.TryGetValue("rules", out var rulesNode))
        {
            if (rulesNode is YamlSequenceNode sequence)
            {
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (RuleLoader.Read(reading, sequence.Children[i], i + 1) is { } rule)
                    {
                        rules.Add(rule);
                    }
                }
            }
            else
            {
                reading.Fail(rulesNode, "rules must be a list");
            }
        }

        if (reading.Problems.Count > 0)
        {
            return (null, [.. reading.Problems.OrderBy(p => p.Line).ThenBy(p => p.Column)]);
        }

        return (new Scenario(name!, description, seed, server, rules, file) { Auth = auth, Yaml = text }, reading.Problems);
    }

    /// <summary>The first tab in a line's leading whitespace at or after <paramref name="fromLine"/>, 1-based.</summary>
    private static (int Line, int Column)? IndentingTab(string text, int fromLine)
    {
        var lines = text.Split('\n');
        for (var i = Math.Max(fromLine - 1, 0); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0)
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }

    private static ServerPresentation ReadServer(YamlReading reading, YamlNode node)
    {
        var keys = reading.Mapping(node, "server", ServerKeys);
        string? hostname = null;
        if (keys.TryGetValue("hostname", out var h) && (hostname = reading.String(h, "server.hostname")) is not null
            && OptionsValidation.HostnameProblem(hostname) is { } problem)
        {
            reading.Fail(h, "server.hostname " + problem);
        }

        string? greeting = null;
        if (keys.TryGetValue("greeting", out var g) && (greeting = reading.String(g, "server.greeting")) is not null)
        {
            CheckReplyText(reading, g, greeting, enhanced: null);
        }

        List<string>? extensions = null;
        if (keys.TryGetValue("extensions", out var e))
        {
            extensions = [];
            if (e is YamlSequenceNode list)
            {
                foreach (var item in list.Children)
                {
                    if (reading.String(item, "an extension") is { } extension)
                    {
                        CheckReplyText(reading, item, extension, enhanced: null);
                        extensions.Add(extension);
                    }
                }
            }
            else
            {
                reading.Fail(e, "server.extensions must be a list, e.g. [PIPELINING, SIZE 10485760, 8BITMIME]");
            }
        }

        return new ServerPresentation(hostname, greeting, extensions);
    }

    /// <summary>A reply line is at most 512 octets with its code, enhanced code and CRLF, and has no line break.</summary>
    internal static bool CheckReplyText(YamlReading reading, YamlNode node, string text, string? enhanced)
    {
        if (text.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            reading.Fail(node, "a reply line cannot contain a line break (give text as a list for several lines)");
            return false;
        }

        var octets = Protocol.Replies.SmtpReply.LineOctets(enhanced, text);
        if (octets > Protocol.Replies.SmtpReply.MaxLineOctets)
        {
            reading.Fail(node, $"reply line is {octets} octets; at most {Protocol.Replies.SmtpReply.MaxLineOctets} with its code and CRLF (RFC 5321 §4.5.3.1.5)");
            return false;
        }

        return true;
    }
}
