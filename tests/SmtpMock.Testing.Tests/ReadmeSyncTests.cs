namespace SmtpMock.Testing.Tests;

/// <summary>README's in-process example must be ReadmeExampleTests.cs, character for character, so it compiles and passes.</summary>
[TestFixture]
public sealed class ReadmeSyncTests
{
    private const string Section = "## Using it from a test suite";

    [Test]
    public void Readme_example_is_identical_to_the_tested_file()
    {
        var directory = Path.Combine(TestContext.CurrentContext.TestDirectory, "sync");
        var readme = File.ReadAllText(Path.Combine(directory, "README.md"));
        var tested = Normalize(File.ReadAllText(Path.Combine(directory, "ReadmeExampleTests.cs")));

        var block = ExtractCSharpBlock(readme, Section);

        Assert.That(block, Is.EqualTo(tested), "README's example and tests/SmtpMock.Testing.Tests/ReadmeExampleTests.cs differ: change both");
    }

    [Test]
    public void Extract_finds_the_first_csharp_block_after_the_heading_only()
    {
        const string text = "# T\n```csharp\nnot this\n```\n## Using it from a test suite\ntext\n```csharp\nthis\n```\n```csharp\nnor this\n```\n";

        Assert.That(ExtractCSharpBlock(text, Section), Is.EqualTo("this\n"));
    }

    private static string ExtractCSharpBlock(string markdown, string heading)
    {
        var lines = Normalize(markdown).Split('\n');
        var at = Array.IndexOf(lines, heading);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), $"README has no '{heading}' heading");
        var start = Array.FindIndex(lines, at + 1, l => l.TrimEnd() == "```csharp");
        Assert.That(start, Is.GreaterThan(at), $"no ```csharp block after '{heading}'");
        var end = Array.FindIndex(lines, start + 1, l => l.TrimEnd() == "```");
        Assert.That(end, Is.GreaterThan(start), "the ```csharp block is not closed");
        return string.Join('\n', lines[(start + 1)..end]) + "\n";
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";
}
