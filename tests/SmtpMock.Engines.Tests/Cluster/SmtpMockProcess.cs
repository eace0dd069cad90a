using System.Diagnostics;
using System.Globalization;
using System.Net;
using SmtpMock.Engines.Tests.Harness;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>
/// One replica as docker-compose.scale.yml runs it, as a real process (a <c>kill -9</c> needs one): <c>dotnet
/// smtpmock.dll serve --store postgresql://... --state redis://... --proxy-protocol --instance-id ID</c> from this
/// project's output, the store password in <c>SMTPMOCK_STORE_PASSWORD</c> as the compose file passes it. The
/// harness's <see cref="Engine"/>: started, killed and started again on the same ports, its console in
/// <see cref="Engine.Log"/>, reaped if the test host goes away. Ready when its <c>/healthz</c> answers 200.
/// </summary>
internal sealed class SmtpMockProcess : Engine
{
    private static readonly HttpClient Health = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly string _store;
    private readonly string _storePassword;
    private readonly string _state;
    private readonly string? _scenarioFile;
    private readonly int _httpPort;

    private SmtpMockProcess(string id, int[] ports, string storeUri, string stateUri, string? scenarioYaml)
        : base($"smtpmock-{id}", ports[0])
    {
        Id = id;
        _httpPort = ports[1];
        var store = new UriBuilder(storeUri);
        _storePassword = Uri.UnescapeDataString(store.Password);
        store.Password = "";
        _store = store.Uri.ToString();
        _state = stateUri;
        if (scenarioYaml is not null)
        {
            _scenarioFile = Path.Combine(Folder, "scenario.yaml");
            File.WriteAllText(_scenarioFile, scenarioYaml);
        }
    }

    public string Id { get; }

    /// <summary>Its SMTP listener (PROXY protocol required: reach it through HAProxy).</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public Uri Api => new($"http://127.0.0.1:{_httpPort.ToString(CultureInfo.InvariantCulture)}/");

    protected override string Package => "the .NET SDK (dotnet)";

    /// <summary>Starts replica <paramref name="id"/>, with <paramref name="scenarioYaml"/> as its <c>--scenario</c> file when given.</summary>
    public static Task<SmtpMockProcess> StartAsync(string id, string storeUri, string stateUri, string? scenarioYaml) =>
        StartNewAsync(new SmtpMockProcess(id, FreePort.Next(2), storeUri, stateUri, scenarioYaml));

    protected override ProcessStartInfo CommandLine()
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "smtpmock.dll");
        var self = Environment.ProcessPath;
        var start = new ProcessStartInfo(self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet") { WorkingDirectory = Folder };
        start.Environment["SMTPMOCK_STORE_PASSWORD"] = _storePassword;
        List<string> arguments =
        [
            dll, "serve",
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--http-port", _httpPort.ToString(CultureInfo.InvariantCulture),
            "--store", _store,
            "--state", _state,
            "--proxy-protocol",
            "--instance-id", Id,
            // The whole load stays in the store (retention would otherwise drop the oldest past 1,000). The console
            // stays at its default level (a line per session: the load's clients keep their connections), so an
            // engine's recovery line (information) is seen too.
            "--max-messages", "1000000",
        ];
        if (_scenarioFile is not null)
        {
            arguments.AddRange(["--scenario", _scenarioFile]);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var answer = await Health.GetAsync(new Uri(Api, "healthz"), cancellationToken).ConfigureAwait(false);
            return answer.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // the 2 s of one ask, while the JIT warms up
        }
    }
}
