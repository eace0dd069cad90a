using System.Net;
using SmtpMock.Server.Hosting;

namespace SmtpMock.EndToEnd.Tests.SharedServer;

/// <summary>
/// One server for a whole suite, as a CI pipeline shares one: scenario files in a folder of their own (one per reply
/// code, each refusing recipients at <c>refuse.test</c> with its code), an active scenario that refuses every
/// recipient with 521 (so a session that did not choose is told apart), and extra ports running two of them.
/// </summary>
internal static class SharedServerKit
{
    /// <summary>The codes, one scenario each: <c>code-550</c>, <c>code-551</c>...</summary>
    public static readonly int[] Codes = [550, 551, 552, 553, 450, 451, 452, 554];

    /// <summary>The scenarios the extra ports run, in the order of <see cref="SmtpMockServer.ScenarioEndPoints"/>.</summary>
    public static readonly string[] PortScenarios = ["code-552", "code-451"];

    public static string ScenarioName(int code) => $"code-{code}";

    public static async Task<(SmtpMockServer Server, string Folder)> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("smtpmock-shared-").FullName;
        foreach (var code in Codes)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, $"{ScenarioName(code)}.yaml"),
                $"name: {ScenarioName(code)}\nrules:\n  - name: refuse-{code}\n    on: RCPT\n    when: {{ recipient: \"*@refuse.test\" }}\n    reply: {code}\n");
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "active.yaml"), "name: active\nrules:\n  - name: refuse-all\n    on: RCPT\n    reply: 521\n");
        var server = await TestServer.StartAsync(o => o with
        {
            ScenarioPaths = [folder],
            ActiveScenario = "active",
            AllowPlaintextAuth = true,
            ScenarioListeners = [.. PortScenarios.Select(s => new ScenarioListener(new IPEndPoint(IPAddress.Loopback, 0), s))],
        });
        return (server, folder);
    }
}
