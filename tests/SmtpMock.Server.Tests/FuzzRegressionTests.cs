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
