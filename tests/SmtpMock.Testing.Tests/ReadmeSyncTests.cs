namespace SmtpMock.Testing.Tests;

/// <summary>
/// README's in-process example must be ReadmeExampleTests.cs, character for character, so it compiles and passes here
/// (NUnit 5). .ci/fixture-check.sh takes the same block, between the same markers, into a project made by
/// <c>dotnet new nunit</c> (NUnit 4) and runs it against the packed SmtpMock.Testing.
/// </summary>
[TestFixture]
public sealed class ReadmeSyncTests
{
    private const string Begin = "<!-- fixture-example:begin -->";
    private const string End = "<!-- fixture-example:end -->";

    [Test]
    public void Readme_example_is_identical_to_the_tested_file()
    {
        var directory = Path.Combine(TestContext.CurrentContext.TestDirectory, "sync");
        var readme = File.ReadAllText(Path.Combine(directory, "README.md"));
        var tested = Normalize(File.ReadAllText(Path.Combine(directory, "ReadmeExampleTests.cs")));

        var block = ExtractMarkedCSharpBlock(readme);

        Assert.That(block, Is.EqualTo(tested), "README's example and tests/SmtpMock.Testing.Tests/ReadmeExampleTests.cs differ: change both");
    }

    [Test]
    public void Extract_takes_the_csharp_block_between_the_markers_only()
    {
        const string text = "# T\n```csharp\nnot this\n```\n" + Begin + "\n```csharp\nthis\n```\n" + End + "\n```csharp\nnor this\n```\n";

        Assert.That(ExtractMarkedCSharpBlock(text), Is.EqualTo("this\n"));
    }

    [TestCase("text\n```csharp\nthis\n```")]
    [TestCase("```csharp\nthis\n```\ntext")]
    [TestCase("```csharp\nthis\n```\n```csharp\nand this\n```")]
    public void Extract_refuses_markers_around_anything_but_one_csharp_block(string between)
    {
        var text = Begin + "\n" + between + "\n" + End + "\n";

        Assert.That(() => ExtractMarkedCSharpBlock(text), Throws.InstanceOf<InvalidDataException>()
            .With.Message.Contains("exactly one ```csharp block"));
    }

    // The same rule as .ci/fixture-check.sh: the begin marker, a ```csharp line, the code, a ``` line, the end marker.
    private static string ExtractMarkedCSharpBlock(string markdown)
    {
        var lines = Normalize(markdown).Split('\n');
        var begin = Array.IndexOf(lines, Begin);
        var end = Array.IndexOf(lines, End);
        if (begin < 0 || end < begin + 3)
        {
            throw new InvalidDataException($"README needs '{Begin}', a code block, then '{End}', each on its own line");
        }

        if (lines[begin + 1] != "```csharp" || lines[end - 1] != "```" || Array.IndexOf(lines, "```", begin + 2, end - begin - 3) >= 0)
        {
            throw new InvalidDataException($"between '{Begin}' and '{End}' there must be exactly one ```csharp block");
        }

        return string.Join('\n', lines[(begin + 2)..(end - 1)]) + "\n";
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";
}
