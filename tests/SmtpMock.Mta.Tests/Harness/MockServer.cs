using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SmtpMock.Mta.Tests.Harness;

/// <summary>
/// <c>smtpmock serve</c> as its own process (the smtpmock.dll in this project's output), on free SMTP and HTTP ports,
/// with a <c>--store</c> folder and its certificate exported for Postfix to trust. Its HTTP API is the witness of
/// what Postfix did. Disposing it kills the process and deletes its folder.
/// </summary>
internal sealed partial class MockServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _folder;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<int> _smtpPort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Uri> _http = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MockServer(Process process, string folder)
    {
        _process = process;
        _folder = folder;
    }

    public int SmtpPort => _smtpPort.Task.Result;

    public MockApi Api { get; private set; } = null!;

    /// <summary>The certificate SmtpMock presents for STARTTLS, as <c>--tls-export-cert</c> wrote it.</summary>
    public string CertificateFile => Path.Combine(_folder, "smtpmock.pem");

    public string Output => string.Join(Environment.NewLine, _output);

    private string StoreFolder => Path.Combine(_folder, "store");

    /// <summary>Starts it with <paramref name="flags"/> and, when given, <paramref name="scenarioYaml"/> as its <c>--scenario</c> file.</summary>
    public static async Task<MockServer> StartAsync(string? scenarioYaml, params string[] flags)
    {
        var folder = TempFolder.Create("smtpmock-mta-");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "smtpmock.dll");
        string[] common = [dll, "serve", "--port", "0", "--http-port", "0", "--store", Path.Combine(folder, "store"), "--tls-export-cert", Path.Combine(folder, "smtpmock.pem")];
        foreach (var argument in common.Concat(flags))
        {
            start.ArgumentList.Add(argument);
        }

        if (scenarioYaml is not null)
        {
            var file = Path.Combine(folder, "scenario.yaml");
            await File.WriteAllTextAsync(file, scenarioYaml);
            start.ArgumentList.Add("--scenario");
            start.ArgumentList.Add(file);
        }

        var server = new MockServer(new Process { StartInfo = start, EnableRaisingEvents = true }, folder);
        server._process.OutputDataReceived += (_, e) => server.OnLine(e.Data, "");
        server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data, "stderr: ");
        server._process.Exited += (_, _) =>
        {
            server._smtpPort.TrySetException(new AssertionException("smtpmock exited before it was listening"));
            server._http.TrySetException(new AssertionException("smtpmock exited before its HTTP API was up"));
        };
        try
        {
            server._process.Start();
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            await server._smtpPort.Task.WaitAsync(StartLimit);
            server.Api = new MockApi(await server._http.Task.WaitAsync(StartLimit));
            return server;
        }
        catch (Exception e)
        {
            await server.DisposeAsync();
            throw new AssertionException($"smtpmock did not start: {e.Message}{Environment.NewLine}{server.Output}", e);
        }
    }

    /// <summary>The envelope file <c>--store</c> wrote beside a captured message (it records TLS and the AUTH user).</summary>
    public StoredEnvelope ReadStoredEnvelope(string messageId)
    {
        using var file = File.OpenRead(Path.Combine(StoreFolder, messageId + ".json"));
        return JsonSerializer.Deserialize<StoredEnvelope>(file, MockApi.Json) ?? throw new AssertionException($"empty envelope file for {messageId}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Api?.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(StartLimit);
            }
        }
        catch (InvalidOperationException)
        {
            // It never started.
        }
        finally
        {
            _process.Dispose();
            TempFolder.Delete(_folder);
        }
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";

    private void OnLine(string? line, string mark)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(mark + line);
        if (mark.Length > 0)
        {
            return;
        }

        if (SmtpLine().Match(line) is { Success: true } smtp)
        {
            _smtpPort.TrySetResult(int.Parse(smtp.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        else if (HttpLine().Match(line) is { Success: true } http)
        {
            _http.TrySetResult(new Uri(http.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"listening on smtp://127\.0\.0\.1:(\d+)")]
    private static partial Regex SmtpLine();

    [GeneratedRegex(@"HTTP API and web page on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex HttpLine();
}

/// <summary>What <c>--store</c> keeps beside each message that the API does not show: how it came in.</summary>
internal sealed record StoredEnvelope(string Id, long SessionId, string? Tls, string? AuthenticatedUser, string? AuthMechanism);
