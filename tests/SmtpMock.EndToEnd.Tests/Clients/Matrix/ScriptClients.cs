using System.Globalization;
using System.Text.Json;

namespace SmtpMock.EndToEnd.Tests.Clients.Matrix;

/// <summary>
/// smtplib and nodemailer, each through its script in tests/clients (python/send.py, node/matrix.js), which takes the
/// request as JSON and prints the steps and the replies the library read.
/// </summary>
internal static class ScriptClients
{
    public static async Task<ClientReport> SmtplibAsync(int port, ClientRequest request)
    {
        await ExternalTool.RequireAsync("python3");
        var script = Path.Combine(ClientScenarios.RepositoryRoot(), "tests", "clients", "python", "send.py");
        var (steps, heard, raw) = await RunAsync("python3", script, Spec(port, request));
        var verdicts = steps.Select(step => Error(step) is { } error
            ? error + Code(step, s => ReplyCodes.Short(s.GetProperty("code").GetInt32(), s.GetProperty("text").GetString()))
            : step.GetProperty("step").GetString() == "ehlo"
                ? "EHLO " + step.GetProperty("code").GetInt32().ToString(CultureInfo.InvariantCulture)
                : "sent" + string.Concat(step.GetProperty("refused").EnumerateObject().Select(r =>
                    $" (refused {r.Name} {ReplyCodes.Short(r.Value[0].GetInt32(), r.Value[1].GetString())})")));
        return new ClientReport(string.Join(", ", verdicts), heard, raw);
    }

    public static async Task<ClientReport> NodemailerAsync(int port, ClientRequest request)
    {
        await NodeClient.RequireAsync();
        var script = Path.Combine(NodeClient.Folder, "matrix.js");
        var (steps, heard, raw) = await RunAsync("node", script, Spec(port, request));
        var verdicts = steps.Select(step => Error(step) is { } error
            ? $"{error} {step.GetProperty("command").GetString()}" + Code(step, s => ReplyCodes.OfLine(s.GetProperty("text").GetString() ?? string.Empty))
            : "sent" + string.Concat(step.GetProperty("refused").EnumerateArray().Select(r =>
                $" (rejected {r.GetProperty("recipient").GetString()} {ReplyCodes.OfLine(r.GetProperty("text").GetString() ?? string.Empty)})")));
        return new ClientReport(string.Join(", ", verdicts), heard, raw);
    }

    private static string Spec(int port, ClientRequest request) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["port"] = port,
        ["from"] = request.From,
        ["to"] = request.To,
        ["messages"] = request.Messages,
        ["starttls"] = request.StartTls,
        ["user"] = request.User,
        ["helo"] = request.Helo,
        ["body_lines"] = request.BodyLines,
        ["timeout"] = request.TimeoutSeconds,
    }.Where(p => p.Value is not null).ToDictionary());

    private static string? Error(JsonElement step) =>
        step.GetProperty("error").ValueKind == JsonValueKind.Null ? null : step.GetProperty("error").GetString();

    /// <summary>" 451 4.7.1" when the failed step carried a reply code, else nothing.</summary>
    private static string Code(JsonElement step, Func<JsonElement, string?> format) =>
        step.GetProperty("code").ValueKind == JsonValueKind.Number ? " " + format(step) : string.Empty;

    private static async Task<(IReadOnlyList<JsonElement> Steps, IReadOnlyList<string> Heard, string Raw)> RunAsync(string program, string script, string spec)
    {
        var run = await ExternalTool.RunAsync(program, [script, spec]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var root = JsonDocument.Parse(run.StandardOutput).RootElement.Clone();
        return ([.. root.GetProperty("steps").EnumerateArray()], [.. root.GetProperty("heard").EnumerateArray().Select(h => h.GetString() ?? string.Empty)], run.StandardOutput.Trim());
    }
}
