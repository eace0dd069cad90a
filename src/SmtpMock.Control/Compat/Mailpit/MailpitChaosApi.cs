using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SmtpMock.Control.Compat.Mailpit;

/// <summary>
/// GET and PUT /api/v1/chaos. A PUT replaces all three triggers and makes them the active scenario
/// <c>mailpit-chaos</c> (shown and editable in our page); all at 0 clears it if it is still the active one. GET shows
/// the triggers last set while that scenario is active, else Mailpit's defaults (nothing fires).
/// </summary>
internal sealed class MailpitChaosApi(MailpitState state)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/chaos", new RequestDelegate(GetAsync));
        app.MapPut("/api/v1/chaos", new RequestDelegate(SetAsync));
    }

    private bool Active => state.Server.Scenarios.Active?.Name == MailpitChaosScenario.Name;

    private Task GetAsync(HttpContext context) =>
        MailpitReplies.Json(context, Active ? state.Chaos : MailpitChaosScenario.Defaults, MailpitJson.Go.MailpitChaos);

    private async Task SetAsync(HttpContext context)
    {
        var (request, error) = await MailpitBodies.ReadAsync(context, MailpitJson.Go.MailpitChaos).ConfigureAwait(false);
        var chaos = request is null ? null : MailpitChaosScenario.Validate(request, out error);
        if (chaos is null)
        {
            await MailpitReplies.Error(context, error!).ConfigureAwait(false);
            return;
        }

        var scenario = MailpitChaosScenario.For(chaos, state.Options.Seed);
        if (scenario is not null)
        {
            state.Server.Scenarios.Activate(scenario);
        }
        else if (Active)
        {
            state.Server.Scenarios.Activate((Server.Scenarios.Scenario?)null);
        }

        state.Chaos = chaos;
        await MailpitReplies.Json(context, chaos, MailpitJson.Go.MailpitChaos).ConfigureAwait(false);
    }
}
