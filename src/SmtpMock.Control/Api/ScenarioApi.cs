using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Hosting;
using SmtpMock.Control.Model;
using SmtpMock.Server.Scenarios;
using SmtpMock.Server.Session;

namespace SmtpMock.Control.Api;

/// <summary>/api/v1/scenario: the active one with its YAML and hit counts; switch, replace from YAML, reset, clear.</summary>
internal sealed class ScenarioApi(ControlState state)
{
    /// <summary>The file name problems in a PUT body are reported against.</summary>
    public const string BodyFile = "request.yaml";

    private const int MaxYaml = SmtpMock.Server.Scenarios.YamlLimits.MaxOctets;

    private ScenarioHost Host => state.Server.Scenarios;

    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/scenario", Get);
        api.MapPut("/scenario", PutAsync);
        api.MapPost("/scenario/reset", Reset);
        api.MapDelete("/scenario", Clear);
    }

    private Ok<ScenarioView> Get() => TypedResults.Ok(View());

    /// <summary>
    /// Switches to a loaded scenario (<c>?name=</c>) or to the YAML in the body. The body is read here, not bound: it
    /// is YAML, and one over the cap is refused after <see cref="MaxYaml"/> octets instead of being read whole.
    /// </summary>
    private async Task<Results<Ok<ScenarioView>, ProblemHttpResult>> PutAsync(string? name, HttpRequest request, CancellationToken aborted)
    {
        if (QueryValues.Text(name) is { } wanted)
        {
            if (!Host.Loaded.Any(s => s.Name == wanted))
            {
                return Problems.NotFound(Host.Loaded.Count == 0
                    ? $"no loaded scenario named '{wanted}': none were loaded (start serve with --scenario FILE|DIR, or PUT the YAML itself)"
                    : $"no loaded scenario named '{wanted}' (loaded: {string.Join(", ", Host.Loaded.Select(s => s.Name))})");
            }

            Host.Activate(wanted);
            return Get();
        }

        var text = await ReadBodyAsync(request.Body, aborted).ConfigureAwait(false);
        if (text is null)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "Too large", $"a scenario is at most {MaxYaml} bytes");
        }

        if (text.Length == 0)
        {
            return Problems.BadRequest("send the scenario's YAML as the body, or ?name= of a loaded scenario");
        }

        var (scenario, problems) = ScenarioLoader.Parse(text, BodyFile);
        if (scenario is null)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "Invalid scenario", $"{problems.Count} problem(s); the previous scenario stays active", ProblemItems(problems));
        }

        state.RememberYaml(scenario, text);
        Host.Activate(scenario);
        return Get();
    }

    /// <summary>A fresh engine for the same scenario: counters, keys and remembered clients start again.</summary>
    private Ok<ScenarioView> Reset()
    {
        Host.Reset();
        state.ClientsSince = state.Server.Options.TimeProvider.GetUtcNow();
        return Get();
    }

    private Ok<ScenarioView> Clear()
    {
        Host.Activate((Scenario?)null);
        return Get();
    }

    private ScenarioView View()
    {
        var scenario = Host.Active;
        return ViewOf(scenario, scenario is null ? null : state.YamlOf(scenario), Host.FiredCounts, [.. Host.Loaded.Select(s => s.Name)]);
    }

    /// <summary>A refused scenario's problems as the 400 lists them, each with its place in the body.</summary>
    internal static ProblemItem[] ProblemItems(IReadOnlyList<ScenarioProblem> problems) => [.. problems.Select(p => new ProblemItem(p.File, p.Line, p.Column, p.Message))];

    /// <summary>What GET /scenario shows: the active scenario (or none) with its YAML, its rules and how often each fired.</summary>
    internal static ScenarioView ViewOf(Scenario? scenario, string? yaml, IReadOnlyDictionary<int, int> fired, string[] loaded)
    {
        if (scenario is null)
        {
            return new ScenarioView(null, null, null, null, [], loaded);
        }

        var views = scenario.Rules.Select((r, i) => new RuleView(r.Name, r.Line, [.. r.Points.Select(p => p.Name())], fired.GetValueOrDefault(i))).ToArray();
        return new ScenarioView(scenario.Name, scenario.Description, scenario.SourcePath, yaml, views, loaded);
    }

    /// <summary>The body as text, or null past the size cap.</summary>
    internal static async Task<string?> ReadBodyAsync(Stream body, CancellationToken aborted)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, aborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxYaml)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
