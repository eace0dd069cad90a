using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Api;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary>
/// <c>/api/v2/jim</c> with MailHog's semantics: Jim is on while the active scenario is <c>mailhog-jim</c>. GET answers
/// its values (404 when off); POST turns it on (201; 400 when on already) with the last values set, or MailHog's
/// defaults, or the body's; PUT replaces the values (404 when off); DELETE turns it off (the server answers correctly
/// again). As in MailHog a body replaces every value: a field left out is 0 (<c>{}</c> refuses every connection).
/// </summary>
internal sealed class JimApi(SmtpMockServer server, int? seed)
{
    private readonly Lock _gate = new();
    private Jim _template = Jim.Default;
    private Jim? _current;

    private ScenarioHost Host => server.Scenarios;

    private bool On => Host.Active?.Name == Jim.ScenarioName;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v2/jim", new RequestDelegate(GetAsync));
        app.MapPost("/api/v2/jim", new RequestDelegate(PostAsync));
        app.MapPut("/api/v2/jim", new RequestDelegate(PutAsync));
        app.MapDelete("/api/v2/jim", new RequestDelegate(DeleteAsync));
    }

    private Task GetAsync(HttpContext context)
    {
        Jim jim;
        lock (_gate)
        {
            jim = _current ?? _template;
        }

        return On ? MailHogHttp.Json(context, jim, MailHogJson.Compact.Jim, MailHogHttp.ApplicationJson) : MailHogHttp.Empty(context, StatusCodes.Status404NotFound, null);
    }

    private async Task PostAsync(HttpContext context)
    {
        if (On)
        {
            await MailHogHttp.Empty(context, StatusCodes.Status400BadRequest, null).ConfigureAwait(false);
            return;
        }

        // A body that is not JSON (cypress-mailhog sends none) is ignored, as MailHog ignores it.
        var (given, _) = await ReadAsync(context).ConfigureAwait(false);
        Jim jim;
        lock (_gate)
        {
            jim = given ?? _template;
        }

        if (await SetAsync(context, jim).ConfigureAwait(false))
        {
            await MailHogHttp.Empty(context, StatusCodes.Status201Created, null).ConfigureAwait(false);
        }
    }

    private async Task PutAsync(HttpContext context)
    {
        if (!On)
        {
            await MailHogHttp.Empty(context, StatusCodes.Status404NotFound, null).ConfigureAwait(false);
            return;
        }

        var (jim, error) = await ReadAsync(context).ConfigureAwait(false);
        if (jim is null)
        {
            await Http.BadRequest(context, $"send Jim's values as JSON ({{\"DisconnectChance\":0.005,\"AcceptChance\":0.99,...}}): {error}").ConfigureAwait(false);
            return;
        }

        if (await SetAsync(context, jim).ConfigureAwait(false))
        {
            await MailHogHttp.Empty(context, StatusCodes.Status200OK, null).ConfigureAwait(false);
        }
    }

    private Task DeleteAsync(HttpContext context)
    {
        if (!On)
        {
            return MailHogHttp.Empty(context, StatusCodes.Status404NotFound, null);
        }

        Host.Activate((Scenario?)null);
        lock (_gate)
        {
            _current = null;
        }

        return MailHogHttp.Empty(context, StatusCodes.Status200OK, null);
    }

    /// <summary>Makes <paramref name="jim"/> the active scenario; false after a 400 saying what is wrong with it.</summary>
    private async Task<bool> SetAsync(HttpContext context, Jim jim)
    {
        if (jim.Problem() is { } problem)
        {
            await Http.BadRequest(context, problem).ConfigureAwait(false);
            return false;
        }

        var (scenario, problems) = ScenarioLoader.Parse(jim.ToYaml(seed), Jim.ScenarioName + ".yaml");
        if (scenario is null)
        {
            throw new InvalidOperationException($"Jim's scenario did not load: {string.Join("; ", problems.Select(p => p.Message))}");
        }

        lock (_gate)
        {
            _template = jim;
            _current = jim;
        }

        // Built here, not read from a file: no path, so our page shows the YAML above instead of looking for a file.
        Host.Activate(scenario with { SourcePath = null });
        return true;
    }

    private static async Task<(Jim? Jim, string? Error)> ReadAsync(HttpContext context)
    {
        try
        {
            var jim = await JsonSerializer.DeserializeAsync(context.Request.Body, MailHogJson.Compact.Jim, context.RequestAborted).ConfigureAwait(false);
            return (jim, jim is null ? "the body is null" : null);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }
}
