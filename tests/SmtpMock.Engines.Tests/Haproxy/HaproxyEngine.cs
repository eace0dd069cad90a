using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using SmtpMock.Engines.Tests.Harness;

namespace SmtpMock.Engines.Tests.Haproxy;

/// <summary>
/// A throw-away HAProxy in front of given servers, from a config generated into a temporary folder (shown with
/// every failure). <see cref="Engine.Port"/> balances all TCP backends; <see cref="PortOf"/> reaches one of them
/// through HAProxy (so it still gets the PROXY header); <see cref="ForceNextAsync"/> sends the main frontend's next
/// connections to one server through the runtime API; <see cref="HttpPort"/> balances the HTTP backends.
/// </summary>
internal sealed class HaproxyEngine : Engine
{
    private readonly int[] _directPorts;

    private HaproxyEngine(HaproxyOptions options, int[] ports)
        : base("haproxy", ports[0])
    {
        Options = options;
        _directPorts = ports[1..^1];
        HttpPort = ports[^1];
        AdminSocket = Path.Combine(Folder, "admin.sock");
        ConfigPath = Path.Combine(Folder, "haproxy.cfg");
        Config = HaproxyConfig.Render(options, Port, _directPorts, HttpPort, AdminSocket);
        File.WriteAllText(ConfigPath, Config);
    }

    public HaproxyOptions Options { get; }

    public string Config { get; }

    public string ConfigPath { get; }

    /// <summary>The runtime API (<c>socat - UNIX:PATH</c> by hand).</summary>
    public string AdminSocket { get; }

    /// <summary>The HTTP frontend's port (listening only when <see cref="HaproxyOptions.HttpBackends"/> has any).</summary>
    public int HttpPort { get; }

    protected override string Package => "haproxy";

    public static Task<HaproxyEngine> StartAsync(HaproxyOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfZero(options.Backends.Count);
        return StartNewAsync(new HaproxyEngine(options, FreePort.Next(options.Backends.Count + 2)));
    }

    /// <summary>A frontend port whose connections all go to backend <paramref name="index"/> (with the same PROXY header and checks).</summary>
    public int PortOf(int index) => _directPorts[index];

    /// <summary>Sends the main frontend's new connections to backend <paramref name="index"/> only, until <see cref="ReleaseAsync"/>:
    /// every other server is put in maintenance (open connections to them go on).</summary>
    public async Task ForceNextAsync(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Options.Backends.Count);
        await SetStateAsync(index, "ready").ConfigureAwait(false);
        for (var i = 0; i < Options.Backends.Count; i++)
        {
            if (i != index)
            {
                await SetStateAsync(i, "maint").ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every backend of the main frontend back in the rotation.</summary>
    public async Task ReleaseAsync()
    {
        for (var i = 0; i < Options.Backends.Count; i++)
        {
            await SetStateAsync(i, "ready").ConfigureAwait(false);
        }
    }

    /// <summary><c>set server smtp/sN state ready|drain|maint</c>: drain takes no new connections but those a persistence rule sends.</summary>
    public async Task SetStateAsync(int index, string state)
    {
        var answer = await RuntimeAsync($"set server {HaproxyConfig.MainBackend}/s{index} state {state}").ConfigureAwait(false);
        if (answer.Trim().Length > 0)
        {
            throw new AssertionException(Failure($"refused 'set server s{index} state {state}': {answer}"));
        }
    }

    /// <summary>The main frontend's view of backend <paramref name="index"/>: UP, DOWN (its check failed), MAINT, DRAIN, "no check".</summary>
    public async Task<string> StatusOfAsync(int index)
    {
        // show stat is CSV: "# pxname,svname,...,status,...": look the column up by name.
        var lines = (await RuntimeAsync("show stat").ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimStart('#', ' ').Split(',');
        var status = Array.IndexOf(header, "status");
        var row = lines.Skip(1).Select(l => l.Split(',')).FirstOrDefault(f => f[0] == HaproxyConfig.MainBackend && f[1] == $"s{index}");
        return row?[status] ?? throw new AssertionException(Failure($"show stat has no {HaproxyConfig.MainBackend}/s{index}"));
    }

    /// <summary>One runtime API command (HAProxy's management guide, "Stats socket"), its whole answer.</summary>
    public async Task<string> RuntimeAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = new CancellationTokenSource(StopDeadline);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(AdminSocket), timeout.Token).ConfigureAwait(false);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), timeout.Token).ConfigureAwait(false);
        using var answer = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
        {
            answer.Write(buffer, 0, read); // the socket closes after one command's answer
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }

    protected override ProcessStartInfo CommandLine()
    {
        // -db: foreground, no daemon, logs on stderr (the config's "log stderr").
        var start = new ProcessStartInfo("haproxy") { WorkingDirectory = Folder };
        foreach (var argument in new[] { "-db", "-f", ConfigPath })
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    protected override string Describe() => $"config {ConfigPath}:{Environment.NewLine}{Config}";

    /// <summary>The runtime API answers once every listener is bound (asking the frontend would send a connection to a server).</summary>
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(AdminSocket))
        {
            return false;
        }

        try
        {
            return (await RuntimeAsync("show info").ConfigureAwait(false)).Contains("Name: HAProxy", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
