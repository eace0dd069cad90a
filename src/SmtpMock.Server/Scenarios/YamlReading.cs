using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace SmtpMock.Server.Scenarios;

/// <summary>Reads YAML nodes into values, collecting a positioned problem for each one that does not fit.</summary>
internal sealed class YamlReading(string file)
{
    public List<ScenarioProblem> Problems { get; } = [];

    public void Fail(YamlNode node, string message) =>
        Problems.Add(new ScenarioProblem(file, (int)node.Start.Line, (int)node.Start.Column, message));

    public void Fail(int line, int column, string message) =>
        Problems.Add(new ScenarioProblem(file, line, column, message));

    /// <summary>The entries of a mapping; an unknown key is a problem, reported at the key.</summary>
    public Dictionary<string, YamlNode> Mapping(YamlNode node, string what, IReadOnlyCollection<string> allowed)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node is not YamlMappingNode mapping)
        {
            Fail(node, $"{what} must be a mapping of keys to values");
            return result;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!allowed.Contains(key))
            {
                Fail(keyNode, $"unknown key '{key}' in {what} (expected one of: {string.Join(", ", allowed)})");
                continue;
            }

            result[key] = value;
        }

        return result;
    }

    public string? String(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        Fail(node, $"{what} must be a text value");
        return null;
    }

    public int? Int(YamlNode node, string what, int min, int max)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Fail(node, $"{what} must be from {min} to {max}, not {value}");
            return null;
        }

        Fail(node, $"{what} must be a whole number");
        return null;
    }

    public double? Double(YamlNode node, string what, double min, double max)
    {
        if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Fail(node, $"{what} must be from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not {text}");
            return null;
        }

        Fail(node, $"{what} must be a number");
        return null;
    }

    public TimeSpan? Duration(YamlNode node, string what)
    {
        var text = String(node, what);
        if (text is null)
        {
            return null;
        }

        if (Durations.TryParse(text, out var duration))
        {
            return duration;
        }

        Fail(node, $"{what} '{text}' is not a duration (e.g. 1500ms, 2s, 5m; at most a day)");
        return null;
    }

    /// <summary>A scalar or a sequence of scalars, as a list of (text, node).</summary>
    public List<(string Text, YamlNode Node)> OneOrMany(YamlNode node, string what)
    {
        var items = new List<(string, YamlNode)>();
        if (node is YamlSequenceNode sequence)
        {
            foreach (var child in sequence.Children)
            {
                if (String(child, what) is { } text)
                {
                    items.Add((text, child));
                }
            }

            if (sequence.Children.Count == 0)
            {
                Fail(node, $"{what} must not be empty");
            }
        }
        else if (String(node, what) is { } text)
        {
            items.Add((text, node));
        }

        return items;
    }
}
