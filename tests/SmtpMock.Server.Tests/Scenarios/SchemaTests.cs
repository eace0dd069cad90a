using NJsonSchema;
using SmtpMock.Server.Scenarios;
using YamlDotNet.Serialization;

namespace SmtpMock.Server.Tests.Scenarios;

/// <summary>scenario.schema.json and the loader agree: every ready-made file passes both, every broken one fails both.</summary>
public class SchemaTests
{
    private static readonly string Root = TestContext.CurrentContext.TestDirectory;

    private static IEnumerable<string> ReadyMade() =>
        Directory.GetFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "scenarios"), "*.yaml").Order(StringComparer.Ordinal);

    private static IEnumerable<string> Broken() =>
        Directory.GetFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "Scenarios", "Broken"), "*.yaml").Order(StringComparer.Ordinal);

    private static async Task<ICollection<NJsonSchema.Validation.ValidationError>> SchemaErrorsAsync(string file)
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(Root, "scenarios", "scenario.schema.json"));
        var yaml = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object>(await File.ReadAllTextAsync(file));
        var json = new SerializerBuilder().JsonCompatible().Build().Serialize(yaml);
        return schema.Validate(json);
    }

    [TestCaseSource(nameof(ReadyMade))]
    public async Task Ready_made_scenario_passes_the_schema_and_the_loader(string file)
    {
        Assert.That(await SchemaErrorsAsync(file), Is.Empty, file);
        Assert.That(() => ScenarioLoader.Load(file), Throws.Nothing);
    }

    [TestCaseSource(nameof(Broken))]
    public async Task Broken_scenario_fails_the_schema_and_the_loader(string file)
    {
        Assert.That(await SchemaErrorsAsync(file), Is.Not.Empty, file);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file));
        Assert.That(e!.Problems.All(p => p.File == file && p.Line > 0 && p.Column > 0), Is.True);
    }

    [Test]
    public void Every_ready_made_scenario_says_what_it_tests_in_a_header_comment()
    {
        foreach (var file in ReadyMade())
        {
            var lines = File.ReadAllLines(file);
            var header = lines.TakeWhile(l => l.StartsWith('#')).ToList();
            Assert.That(header, Has.Count.GreaterThanOrEqualTo(4), file);
            Assert.That(header.Any(l => l.Contains("smtpmock serve --scenario", StringComparison.Ordinal)), Is.True, $"{file} says how to run it");
        }
    }
}
