using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SmtpMock.EndToEnd.Tests.Clients.Matrix;

/// <summary>
/// swaks and curl, run with the request as their options. Each prints the dialog as it goes (swaks always, curl with
/// -v), which is what they heard; the verdict is the exit status and the last refusal the client printed.
/// </summary>
internal static partial class CommandLineClients
{
    public static async Task<ClientReport> SwaksAsync(int port, ClientRequest request)
    {
        Assert.That(request.Messages, Is.EqualTo(1), "swaks sends one message per connection");
        await ExternalTool.RequireAsync("swaks");
        List<string> arguments =
        [
            "--server", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "--from", request.From, "--to", string.Join(",", request.To),
            "--helo", request.Helo ?? "swaks.test", "--timeout", $"{request.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)}s",
            "--body", Body(request),
        ];
        if (request.StartTls)
        {
            arguments.Add("--tls");
        }

        if (request.User is not null)
        {
            arguments.AddRange(["--auth", "PLAIN", "--auth-user", request.User, "--auth-password", "secret"]);
        }

        var run = await ExternalTool.RunAsync("swaks", arguments);
        var output = run.StandardOutput + run.StandardError;
        var heard = new List<string>();
        string? refusal = null;
        foreach (Match line in SwaksReply().Matches(output))
        {
            heard.Add(line.Groups[2].Value.TrimEnd('\r'));
            if (line.Groups[1].Value.EndsWith('*'))
            {
                refusal = ReplyCodes.OfLine(heard[^1]) ?? refusal;
            }
        }

        var verdict = "exit " + run.ExitCode.ToString(CultureInfo.InvariantCulture) + (refusal is null ? string.Empty : ": " + refusal);
        return new ClientReport(verdict, heard, output);
    }

    public static async Task<ClientReport> CurlAsync(int port, ClientRequest request)
    {
        Assert.That(request is { StartTls: false, User: null, Helo: null }, Is.True, "the curl runner sends plain and anonymous");
        await ExternalTool.RequireAsync("curl");
        var file = Path.Combine(Path.GetTempPath(), $"smtpmock-curl-{Guid.NewGuid():N}.eml");
        await File.WriteAllTextAsync(file, "Subject: from curl\r\n\r\n" + Body(request), Encoding.ASCII);
        try
        {
            List<string> arguments = ["-v", "--silent", "--show-error", "--max-time", request.TimeoutSeconds.ToString(CultureInfo.InvariantCulture), "--mail-from", request.From];
            arguments.AddRange(request.To.SelectMany(to => new[] { "--mail-rcpt", to }));
            for (var i = 0; i < request.Messages; i++)
            {
                // One URL per message: curl sends them all on one connection.
                arguments.AddRange(["--upload-file", file, $"smtp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/curl.test"]);
            }

            var run = await ExternalTool.RunAsync("curl", arguments);
            var heard = CurlReply().Matches(run.StandardError).Select(m => m.Groups[1].Value.TrimEnd('\r')).ToList();
            var said = CurlError().Match(run.StandardError);
            var verdict = "exit " + run.ExitCode.ToString(CultureInfo.InvariantCulture) + (said.Success ? ": " + said.Groups[1].Value.TrimEnd('\r') : string.Empty);
            return new ClientReport(verdict, heard, run.StandardError);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Body(ClientRequest request) => string.Concat(Enumerable.Repeat("body\r\n", request.BodyLines));

    // swaks: "<-  250 ..." a reply, "<** 503 ..." a refusal (with "~" instead of "-" inside TLS), "<~* 535" one inside TLS.
    [GeneratedRegex(@"^<(-|~|\*\*|~\*) +(.*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SwaksReply();

    [GeneratedRegex(@"^< (.*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex CurlReply();

    [GeneratedRegex(@"^curl: \(\d+\) (.*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex CurlError();
}
