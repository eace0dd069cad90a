using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace SmtpMock.Cli.Tests.Commands;

/// <summary>
/// No Docker engine runs here, so the Dockerfile and docker-compose.yml are checked by reading them: their
/// structure, and the image's exact command lines run natively (ENTRYPOINT plus compose's command, the
/// HEALTHCHECK, the sender service), with only the container paths and the port mapped to this machine.
/// </summary>
public class ContainerFilesTests
{
    private static readonly string Root = FindRoot();

    [Test]
    public void Dockerfile_builds_native_on_the_sdk_runs_on_runtime_deps_as_a_non_root_user()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));
        Assert.That(lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build",
            "FROM mcr.microsoft.com/dotnet/runtime-deps:10.0",
        }));
        Assert.That(lines, Has.Some.Contains("dotnet publish src/SmtpMock.Cli -c Release"));
        Assert.That(lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal)), Is.EqualTo("USER $APP_UID"));
        Assert.That(JsonArray(lines, "CMD "), Is.Empty, "user arguments are appended to the ENTRYPOINT, nothing to erase");
        Assert.That(JsonArray(lines, "ENTRYPOINT "), Is.EqualTo(new[] { "smtpmock", "serve", "--host", "0.0.0.0", "--port", "2525", "--http-host", "0.0.0.0", "--http-port", "8025", "--store", "/data" }));
    }

    [Test]
    public void Compose_mounts_scenarios_and_captured_as_the_host_user_and_waits_for_health()
    {
        var services = (YamlMappingNode)Load()["services"];
        var mock = (YamlMappingNode)services["smtpmock"];
        Assert.That(Scalar(mock, "build"), Is.EqualTo("."));
        Assert.That(Scalar(mock, "user"), Is.EqualTo("${UID:-1000}:${GID:-1000}"));
        // SMTP and the HTTP API and page, on the host's loopback unless SMTPMOCK_PUBLISH opens them on purpose: the API
        // has no token and reads every captured message.
        Assert.That(Sequence(mock, "ports"), Is.EqualTo(new[] { "${SMTPMOCK_PUBLISH:-127.0.0.1}:2525:2525", "${SMTPMOCK_PUBLISH:-127.0.0.1}:8025:8025" }));
        Assert.That(Sequence(mock, "volumes"), Is.EquivalentTo(new[] { "./scenarios:/scenarios:ro", "./captured:/data" }));

        var sender = (YamlMappingNode)services["sender"];
        Assert.That(Scalar(sender, "image"), Is.EqualTo(Scalar(mock, "image")), "the sender reuses the image compose builds");
        Assert.That(Scalar(sender, "pull_policy"), Is.EqualTo("never"), "no registry has smtpmock:local; Compose must not try to pull it");
        Assert.That(Sequence(sender, "entrypoint"), Is.EqualTo(new[] { "smtpmock", "send" }));
        var dependsOn = (YamlMappingNode)((YamlMappingNode)sender["depends_on"])["smtpmock"];
        Assert.That(Scalar(dependsOn, "condition"), Is.EqualTo("service_healthy"));
    }

    [Test]
    public async Task The_container_command_lines_run_natively_serve_pass_the_healthcheck_and_take_the_senders_mail()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));
        var services = (YamlMappingNode)Load()["services"];
        var data = Directory.CreateTempSubdirectory("smtpmock-container-").FullName;
        string[] serve = [.. JsonArray(dockerfile, "ENTRYPOINT "), .. Sequence((YamlMappingNode)services["smtpmock"], "command")];
        Assert.That(serve[0], Is.EqualTo("smtpmock"));

        using var stop = new CancellationTokenSource();
        var output = new SignallingWriter("listening on smtp://");
        var run = SmtpMockCli.RunAsync([.. serve.Skip(1).Select(a => ToHost(a, data, "0"))], output, TextWriter.Null, stop.Token);
        try
        {
            var listening = await output.Seen.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(listening, Does.Contain("smtp://0.0.0.0:"), "the container listens on every interface");
            var port = listening[(listening.LastIndexOf(':') + 1)..].Split(' ')[0];

            var health = HealthCheck(dockerfile);
            Assert.That(health[0], Is.EqualTo("smtpmock"));
            var (healthExit, _, healthErr) = await CommandRun.RunAsync([.. health.Skip(1).Select(a => ToHost(a, data, port))]);
            Assert.That(healthExit, Is.Zero, healthErr);

            var sender = (YamlMappingNode)services["sender"];
            string[] send = [.. Sequence(sender, "entrypoint").Skip(1), .. Sequence(sender, "command")];
            var (sendExit, sendOut, sendErr) = await CommandRun.RunAsync([.. send.Select(a => a == "smtpmock" ? "127.0.0.1" : ToHost(a, data, port))]);
            Assert.That(sendExit, Is.Zero, sendErr);
            Assert.That(sendOut, Does.Contain("250 2.0.0 OK: queued as"));
            Assert.That(Directory.GetFiles(data, "*.eml"), Has.Length.EqualTo(1), "the message is in the folder mounted at /data");
        }
        finally
        {
            await stop.CancelAsync();
            Assert.That(await run.WaitAsync(TimeSpan.FromSeconds(30)), Is.Zero);
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Container paths to this checkout and a temp folder; the container's port 2525 to the given one, 8025 (HTTP) to a free one.</summary>
    private static string ToHost(string argument, string data, string port) => argument switch
    {
        "/data" => data,
        "2525" => port,
        "8025" => "0",
        _ when argument.StartsWith("/scenarios/", StringComparison.Ordinal) => Path.Combine(Root, "scenarios", argument["/scenarios/".Length..]),
        _ => argument,
    };

    private static string[] JsonArray(string[] dockerfile, string instruction) =>
        JsonSerializer.Deserialize<string[]>(dockerfile.Single(l => l.StartsWith(instruction, StringComparison.Ordinal))[instruction.Length..])!;

    private static string[] HealthCheck(string[] dockerfile)
    {
        var line = dockerfile.Single(l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<string[]>(line[(line.IndexOf(" CMD ", StringComparison.Ordinal) + 5)..])!;
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "docker-compose.yml"))));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static string? Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value;

    private static string[] Sequence(YamlMappingNode node, string key) =>
        [.. ((YamlSequenceNode)node[key]).Children.Select(c => ((YamlScalarNode)c).Value!)];

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("docker-compose.yml not found above the test directory");
    }
}
