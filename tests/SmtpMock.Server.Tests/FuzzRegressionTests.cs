using SmtpMock.Fuzz;

namespace SmtpMock.Server.Tests;

/// <summary>
/// Every fuzz seed and every crash the fuzzer ever found (fuzz/crashes) replayed through the same targets and
/// oracles the fuzzer uses: a fixed crash stays fixed.
/// </summary>
public class FuzzRegressionTests
{
    private static IEnumerable<TestCaseData> Inputs(string target)
    {
        foreach (var kind in new[] { "seeds", "crashes" })
        {
            var folder = Path.Combine(TestContext.CurrentContext.TestDirectory, "fuzz", kind, target);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                yield return new TestCaseData(file).SetName($"{target} {kind}/{Path.GetFileName(file)}");
            }
        }
    }

    private static IEnumerable<TestCaseData> SessionInputs() => Inputs("session");

    /// <summary>
    /// The replay cases above come from folders copied next to the tests; if the copy breaks they silently yield
    /// nothing. This fails instead: the seeds are there, and each folder holds exactly the files the repo has.
    /// </summary>
    [TestCase("seeds", "session")]
    [TestCase("seeds", "scenario")]
    [TestCase("crashes", "session")]
    [TestCase("crashes", "scenario")]
    public void The_replayed_folder_is_the_repo_folder(string kind, string target)
    {
        var copied = Path.Combine(TestContext.CurrentContext.TestDirectory, "fuzz", kind, target);
        var source = Path.Combine(RepoRoot(), "fuzz", kind, target);
        Assert.That(Directory.Exists(source), Is.True, $"the repo has no {source}");
        Assert.That(Directory.Exists(copied), Is.True, $"{copied} was not copied to the test output (see the csproj)");
        var names = Directory.GetFiles(copied).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.That(names, Is.EqualTo(Directory.GetFiles(source).Select(Path.GetFileName).Order(StringComparer.Ordinal)));
        if (kind == "seeds")
        {
            Assert.That(names, Is.Not.Empty, $"no {target} seeds to replay");
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SmtpMock.sln")))
            {
                return dir.FullName;
            }
        }

        throw new AssertionException($"no SmtpMock.sln above {TestContext.CurrentContext.TestDirectory}");
    }

    private static IEnumerable<TestCaseData> ScenarioInputs() => Inputs("scenario");

    [TestCaseSource(nameof(SessionInputs))]
    public void Session_input_passes_the_oracles(string file) =>
        Assert.That(() => SessionTarget.Run(File.ReadAllBytes(file)), Throws.Nothing);

    [TestCaseSource(nameof(ScenarioInputs))]
    public void Scenario_input_passes_the_oracles(string file) =>
        Assert.That(() => ScenarioTarget.Run(File.ReadAllBytes(file)), Throws.Nothing);

    [TestCase("250-a\r\n251 b\r\n", "changed code")]
    [TestCase("221 2.0.0 Bye\r\n250 2.0.0 OK\r\n", "after 221")]
    [TestCase("250 5.0.0 OK\r\n", "another class")]
    [TestCase("150 early\r\n", "malformed")]
    [TestCase("250 OK", "mid-line")]
    [TestCase("250-more to come\r\n", "unfinished")]
    public void The_reply_oracle_catches_each_violation(string output, string message) =>
        Assert.That(() => SessionTarget.CheckReplies(output), Throws.TypeOf<OracleViolation>().With.Message.Contains(message));

    [Test]
    public void The_reply_oracle_counts_replies()
    {
        Assert.That(SessionTarget.CheckReplies("220 hi\r\n250-a\r\n250 b\r\n221 2.0.0 Bye\r\n"), Is.EqualTo(3));
        Assert.That(Inputs("session").Count(), Is.GreaterThanOrEqualTo(20));
    }
}
