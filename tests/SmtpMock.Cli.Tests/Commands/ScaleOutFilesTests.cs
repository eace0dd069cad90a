using YamlDotNet.RepresentationModel;

namespace SmtpMock.Cli.Tests.Commands;

/// <summary>
/// docker-compose.scale.yml and deploy/k8s/smtpmock.yaml give the replicas flags that `smtpmock serve` must accept as
/// they are written (no Docker or Kubernetes here: the files are read, and their command lines parsed by the CLI).
/// </summary>
public class ScaleOutFilesTests
{
    private static readonly string Root = FindRoot();

    [Test]
    public void Every_replica_of_the_compose_file_runs_serve_with_flags_it_accepts_behind_haproxy_on_postgresql_and_redis()
    {
        var services = (YamlMappingNode)Load("docker-compose.scale.yml").Single()["services"];
        var replicas = services.Children.Where(c => ((YamlScalarNode)c.Key).Value!.StartsWith("smtpmock-", StringComparison.Ordinal)).ToList();
        Assert.That(replicas, Has.Count.EqualTo(3));
        foreach (var (_, node) in replicas)
        {
            var entrypoint = Sequence((YamlMappingNode)node, "entrypoint");
            Assert.That(entrypoint[..2], Is.EqualTo(new[] { "smtpmock", "serve" }));
            AssertServeAccepts(entrypoint[1..]);
            Assert.That(entrypoint, Has.Some.StartsWith("--store=postgresql://").And.Some.StartsWith("--state=redis://").And.Some.EqualTo("--proxy-protocol"));
        }

        Assert.That(services.Children.Keys.Select(k => ((YamlScalarNode)k).Value), Is.SupersetOf(new[] { "haproxy", "postgres", "redis" }));
        var haproxy = File.ReadAllText(Path.Combine(Root, "deploy", "haproxy.cfg"));
        Assert.That(haproxy, Does.Contain("send-proxy-v2").And.Contain("option httpchk GET /healthz"));
    }

    [Test]
    public void The_kubernetes_deployment_runs_serve_with_flags_it_accepts_and_its_readiness_is_healthz()
    {
        var deployment = Load(Path.Combine("deploy", "k8s", "smtpmock.yaml")).First(d => ((YamlScalarNode)d["kind"]).Value == "Deployment");
        var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"])["spec"])["containers"]).Children[0];
        var args = Sequence(container, "args").Select(a => a.Replace("$(POD_NAME)", "smtpmock-7d9f-abc12", StringComparison.Ordinal));
        AssertServeAccepts(["serve", .. args]);
        var readiness = (YamlMappingNode)((YamlMappingNode)container["readinessProbe"])["httpGet"];
        Assert.That(((YamlScalarNode)readiness["path"]).Value, Is.EqualTo("/healthz"));
    }

    private static void AssertServeAccepts(string[] args)
    {
        var parse = SmtpMockCli.Create().Parse(args);
        Assert.That(parse.Errors.Select(e => e.Message), Is.Empty, string.Join(' ', args));
    }

    private static List<YamlMappingNode> Load(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, file))));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static string[] Sequence(YamlMappingNode node, string key) =>
        [.. ((YamlSequenceNode)node[key]).Children.Select(c => ((YamlScalarNode)c).Value!)];

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docker-compose.scale.yml")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("docker-compose.scale.yml not found above the test directory");
    }
}
