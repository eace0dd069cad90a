using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Hosting;
using SmtpMock.Control.Model;
using SmtpMock.Server.History;

namespace SmtpMock.Control.Api;

/// <summary>
/// GET /api/v1/clients: the kept sessions' delivery attempts grouped by client key (<see cref="ClientViews"/>), from
/// every instance sharing the archive. Attempts before the last scenario reset are left out.
/// </summary>
internal sealed class ClientsApi(ControlState state)
{
    public void Map(IEndpointRouteBuilder api) => api.MapGet("/clients", ListAsync);

    private async Task<Ok<ClientGroup[]>> ListAsync(string? sender, string? recipient, CancellationToken aborted)
    {
        var finished = await state.Server.Sessions.ListAsync(SessionQuery.All, aborted).ConfigureAwait(false);
        var open = state.Server.OpenSessions.Select(s => SessionRecords.From(s, state.Server.Options.InstanceId));
        return TypedResults.Ok(ClientViews.Groups(open.Concat(finished), state.ClientsSince, QueryValues.Text(sender), QueryValues.Text(recipient)));
    }
}
