using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// The one way scenario paths become scenarios, shared by <c>serve</c> (through <see cref="ScenarioHost"/>), its hot
/// reload and <c>validate</c>, so what validate accepts serve accepts: a folder means its <c>*.yaml</c>/<c>*.yml</c>
/// files in name order, every file is checked whole, and two files with one name are a problem at the second
/// file's <c>name:</c> key.
/// </summary>
public static class ScenarioCatalog
{
    /// <summary>Loads every file the paths name; the scenarios that loaded cleanly, and every problem in file order.</summary>
    public static ScenarioSet Load(IEnumerable<string> paths)
    {
        var problems = new List<ScenarioProblem>();
        var files = Expand(paths, problems);
        var loaded = new List<Scenario>();
        foreach (var file in files)
        {
            try
            {
                var scenario = ScenarioLoader.Load(file);
                if (Duplicate(scenario, loaded) is { } duplicate)
                {
                    problems.Add(duplicate);
                }
                else
                {
                    loaded.Add(scenario);
                }
            }
            catch (ScenarioException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        return new ScenarioSet(files, loaded, [.. problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line).ThenBy(p => p.Column)]);
    }

    /// <summary>The files the paths name, each once: a file as given, a folder's scenario files in name order.</summary>
    internal static IReadOnlyList<string> Expand(IEnumerable<string> paths, ICollection<ScenarioProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                problems.Add(new ScenarioProblem(string.Empty, 0, 0, "a scenario path is empty (is a variable unset?): give a file or folder"));
            }
            else if (Directory.Exists(path))
            {
                try
                {
                    files.AddRange(Directory.EnumerateFiles(path).Where(IsScenarioFile).Order(StringComparer.Ordinal).Where(f => seen.Add(Path.GetFullPath(f))));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problems.Add(new ScenarioProblem(path, 0, 0, $"cannot read the folder: {e.Message}"));
                }
            }
            else if (File.Exists(path))
            {
                if (seen.Add(Path.GetFullPath(path)))
                {
                    files.Add(path);
                }
            }
            else
            {
                problems.Add(new ScenarioProblem(path, 0, 0, "no such file or folder"));
            }
        }

        return files;
    }

    /// <summary>Whether a folder's file is taken as a scenario: its name ends in .yaml or .yml.</summary>
    internal static bool IsScenarioFile(string path) =>
        path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal);

    /// <summary>
    /// The problem when <paramref name="candidate"/> takes a name one of <paramref name="others"/> (from another
    /// file) has, at the candidate's <c>name:</c> key and naming the other file; null when the name is free.
    /// </summary>
    internal static ScenarioProblem? Duplicate(Scenario candidate, IEnumerable<Scenario> others)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var other = others.FirstOrDefault(s => s.Name == candidate.Name && s.SourcePath != candidate.SourcePath);
        if (other is null)
        {
            return null;
        }

        var file = candidate.SourcePath ?? "(inline)";
        var (line, column) = NameKey(file);
        return new ScenarioProblem(file, line, column, $"two scenarios are named '{candidate.Name}': this file and {other.SourcePath ?? "(inline)"}; give each its own name");
    }

    /// <summary>Where the root <c>name</c> key is written (0, 0 when the file cannot be read again).</summary>
    private static (int Line, int Column) NameKey(string file)
    {
        try
        {
            // The file passed the loader's limits, but it may have changed since: check again before building nodes.
            var text = File.ReadAllText(file);
            if (text.Length > YamlLimits.MaxOctets || YamlLimits.Check(text, file) is not null)
            {
                return (0, 0);
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(text));

            if (stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root)
            {
                var key = root.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "name" });
                if (key is not null)
                {
                    return ((int)key.Start.Line, (int)key.Start.Column);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlException)
        {
            // Changed or gone since it loaded: the problem still names the file.
        }

        return (0, 0);
    }
}

/// <summary>What <see cref="ScenarioCatalog.Load"/> found: every file, the scenarios that loaded cleanly, every problem.</summary>
public sealed record ScenarioSet(IReadOnlyList<string> Files, IReadOnlyList<Scenario> Scenarios, IReadOnlyList<ScenarioProblem> Problems);
