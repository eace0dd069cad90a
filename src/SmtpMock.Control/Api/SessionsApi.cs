using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.History;
using SmtpMock.Server.Session;

namespace SmtpMock.Control.Api;

/// <summary>
/// /api/v1/sessions: this instance's open sessions and the archive's finished ones (every instance's, when several
/// share one), newest first; one with its transcript; wait for ended ones.
/// </summary>
internal sealed class SessionsApi(ControlState state)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/sessions", new RequestDelegate(ListAsync));
        api.MapGet("/sessions/wait", new RequestDelegate(WaitAsync));
        api.MapGet("/sessions/{id:long}", new RequestDelegate(DetailAsync));
    }

    private async Task ListAsync(HttpContext context)
    {
        if (!Http.TryInt(context, "limit", 100, 1, 10_000, out var limit, out var error))
        {
            await Http.BadRequest(context, error!).ConfigureAwait(false);
            return;
        }

        var finished = await state.Server.Sessions.ListAsync(new SessionQuery { Limit = limit }, context.RequestAborted).ConfigureAwait(false);
        var all = Open().Concat(finished).DistinctBy(s => s.Id).OrderByDescending(s => s.StartedAt).ThenByDescending(s => s.Id).Take(limit).Select(Summary).ToArray();
        await Http.Json(context, all, ControlJson.Readable.SessionSummaryArray).ConfigureAwait(false);
    }

    /// <summary>Returns once <c>count</c> sessions have ended (those still kept count), 408 after <c>timeout</c>.</summary>
    private async Task WaitAsync(HttpContext context)
    {
        if (!Http.TryInt(context, "count", 1, 1, 10_000, out var count, out var error)
            || !Http.TryTimeout(context, state.Options.MaxWait, out var timeout, out error))
        {
            await Http.BadRequest(context, error!).ConfigureAwait(false);
            return;
        }

        using var slot = state.EnterWait();
        if (slot is null)
        {
            await Http.Busy(context, $"{state.Options.MaxWaits} wait calls are open at once: try again when one has answered").ConfigureAwait(false);
            return;
        }

        var query = new SessionQuery { HeloContains = Http.Query(context, "helo") };
        IReadOnlyList<SessionRecord> found = [];
        var done = await state.SessionsChanged.WaitUntilAsync(
            async () => (found = await state.Server.Sessions.ListAsync(query, context.RequestAborted).ConfigureAwait(false)).Count >= count,
            timeout,
            context.RequestAborted).ConfigureAwait(false);
        if (!done)
        {
            await Http.Problem(context, StatusCodes.Status408RequestTimeout, "Timed out", $"{found.Count} of {count} ended sessions after {timeout.TotalSeconds:0.###}s").ConfigureAwait(false);
            return;
        }

        await Http.Json(context, [.. found.Select(Summary)], ControlJson.Readable.SessionSummaryArray).ConfigureAwait(false);
    }

    private async Task DetailAsync(HttpContext context)
    {
        var id = long.Parse(Http.Route(context, "id")!, System.Globalization.CultureInfo.InvariantCulture);
        var session = state.Server.OpenSessions.FirstOrDefault(s => s.Id == id) is { } open
            ? SessionRecords.From(open, state.Server.Options.InstanceId)
            : await state.Server.Sessions.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            await Http.NotFound(context, $"no session {id} (open, or among the kept finished ones)").ConfigureAwait(false);
            return;
        }

        var s = Summary(session);
        var detail = new SessionDetail(
            s.Id, s.Client, s.StartedAt, s.EndedAt, s.HeloName, s.Commands, s.Messages, s.Faults, s.EndReason, s.Instance,
            session.Tls, session.AuthenticatedUser, s.Scenario, s.ScenarioChosenBy,
            [.. session.Messages],
            [.. session.Lines.Select(l => new TranscriptEntry(Http.Utc(l.At), Direction(l.Direction), l.Text, l.Rule))]);
        await Http.Json(context, detail, ControlJson.Readable.SessionDetail).ConfigureAwait(false);
    }

    private IEnumerable<SessionRecord> Open() =>
        state.Server.OpenSessions.Select(s => SessionRecords.From(s, state.Server.Options.InstanceId));

    private static SessionSummary Summary(SessionRecord session) => new(
        session.Id,
        session.Client,
        Http.Utc(session.StartedAt),
        session.EndedAt is { } ended ? Http.Utc(ended) : null,
        session.HeloName,
        session.Commands,
        session.Messages.Count,
        session.Faults,
        session.EndReason,
        session.Instance,
        session.Scenario,
        session.ScenarioChosenBy);

    internal static string Direction(TranscriptDirection direction) => direction switch
    {
        TranscriptDirection.In => "in",
        TranscriptDirection.Out => "out",
        _ => "note",
    };
}
