using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Hosting;
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
        api.MapGet("/scenario", new RequestDelegate(GetAsync));
        api.MapPut("/scenario", new RequestDelegate(PutAsync));
        api.MapPost("/scenario/reset", new RequestDelegate(ResetAsync));
        api.MapDelete("/scenario", new RequestDelegate(ClearAsync));
    }

    private Task GetAsync(HttpContext context) => Http.Json(context, View(), ControlJson.Readable.ScenarioView);

    private async Task PutAsync(HttpContext context)
    {
        if (Http.Query(context, "name") is { } name)
        {
            if (!Host.Loaded.Any(s => s.Name == name))
            {
                await Http.NotFound(context, Host.Loaded.Count == 0
                    ? $"no loaded scenario named '{name}': none were loaded (start serve with --scenario FILE|DIR, or PUT the YAML itself)"
                    : $"no loaded scenario named '{name}' (loaded: {string.Join(", ", Host.Loaded.Select(s => s.Name))})").ConfigureAwait(false);
                return;
            }

            Host.Activate(name);
            await GetAsync(context).ConfigureAwait(false);
            return;
        }

        var text = await ReadBodyAsync(context).ConfigureAwait(false);
        if (text is null)
        {
            await Http.Problem(context, StatusCodes.Status413PayloadTooLarge, "Too large", $"a scenario is at most {MaxYaml} bytes").ConfigureAwait(false);
            return;
        }

        if (text.Length == 0)
        {
            await Http.BadRequest(context, "send the scenario's YAML as the body, or ?name= of a loaded scenario").ConfigureAwait(false);
            return;
        }

        var (scenario, problems) = ScenarioLoader.Parse(text, BodyFile);
        if (scenario is null)
        {
            await Http.Problem(
                context,
                StatusCodes.Status400BadRequest,
                "Invalid scenario",
                $"{problems.Count} problem(s); the previous scenario stays active",
                ProblemItems(problems)).ConfigureAwait(false);
            return;
        }

        state.RememberYaml(scenario, text);
        Host.Activate(scenario);
        await GetAsync(context).ConfigureAwait(false);
    }

    /// <summary>A fresh engine for the same scenario: counters, keys and remembered clients start again.</summary>
    private Task ResetAsync(HttpContext context)
    {
        Host.Reset();
        state.ClientsSince = state.Server.Options.TimeProvider.GetUtcNow();

        return GetAsync(context);
    }

    private Task ClearAsync(HttpContext context)
    {
        Host.Activate((Scenario?)null);
        return GetAsync(context);
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
    internal static async Task<string?> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
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
