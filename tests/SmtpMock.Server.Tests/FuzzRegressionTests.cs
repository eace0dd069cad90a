using SmtpMock.Fuzz;

namespace SmtpMock.Server.Tests;

/// <summary>
/// Every fuzz seed and every crash the fuzzer ever found (fuzz/crashes), for each of the four targets, replayed
/// through the same targets and oracles the fuzzer uses: a fixed crash stays fixed. The corpus each long run kept
/// (fuzz/corpus, minimised by afl-cmin: the inputs that reach every edge the run reached) is replayed too, one test
/// per target, so a change that breaks an input the fuzzer once explored fails here.
/// </summary>
public class FuzzRegressionTests
{
    private static readonly Dictionary<string, Action<byte[]>> Targets = new()
    {
        ["session"] = SessionTarget.Run,
        ["scenario"] = ScenarioTarget.Run,
        ["mime"] = MimeTarget.Run,
        ["http"] = HttpTarget.Run,
    };

    private static string Folder(string kind, string target) => Path.Combine(TestContext.CurrentContext.TestDirectory, "fuzz", kind, target);

    private static IEnumerable<TestCaseData> Inputs()
    {
        foreach (var target in Targets.Keys)
        {
            foreach (var kind in new[] { "seeds", "crashes" })
            {
                var folder = Folder(kind, target);
                if (!Directory.Exists(folder))
                {
                    continue;
                }

                foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
                {
                    yield return new TestCaseData(target, file).SetName($"{target} {kind}/{Path.GetFileName(file)}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Inputs))]
    public void The_input_passes_the_oracles(string target, string file) =>
        Assert.That(() => Targets[target](File.ReadAllBytes(file)), Throws.Nothing);

    [TestCase("session")]
    [TestCase("scenario")]
    [TestCase("mime")]
    [TestCase("http")]
    public void The_kept_corpus_passes_the_oracles(string target)
    {
        var folder = Folder("corpus", target);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToList() : [];
        var failures = new List<string>();
        foreach (var file in files)
        {
            try
            {
                Targets[target](File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failures.Add($"{Path.GetFileName(file)}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.That(failures, Is.Empty, $"{failures.Count} of {files.Count} kept {target} inputs fail (replay one with: dotnet fuzz/.build/{target}/bin/SmtpMock.Fuzz.dll replay {target} fuzz/corpus/{target}/NAME)");
    }

    /// <summary>
    /// The replay cases above come from folders copied next to the tests; if the copy breaks they silently yield
    /// nothing. This fails instead: the seeds are there, and each folder holds exactly the repo's files.
    /// </summary>
    [Test]
    public void The_replayed_folders_are_the_repo_folders()
    {
        foreach (var target in Targets.Keys)
        {
            foreach (var kind in new[] { "seeds", "crashes", "corpus" })
            {
                var copied = Folder(kind, target);
                var source = Path.Combine(RepoRoot(), "fuzz", kind, target);
                var names = Directory.Exists(copied) ? Directory.GetFiles(copied).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList() : [];
                var expected = Directory.Exists(source) ? Directory.GetFiles(source).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList() : [];
                Assert.That(names, Is.EqualTo(expected), $"{copied} is not a copy of {source} (see the csproj)");
                if (kind == "seeds")
                {
                    Assert.That(names, Is.Not.Empty, $"no {target} {kind} to replay");
                }
            }
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

    [TestCase("250-a\r\n251 b\r\n", "changed code")]
    [TestCase("221 2.0.0 Bye\r\n250 2.0.0 OK\r\n", "after 221")]
    [TestCase("250 5.0.0 OK\r\n", "another class")]
    [TestCase("150 early\r\n", "malformed")]
    [TestCase("250 OK", "mid-line")]
    [TestCase("250-more to come\r\n", "unfinished")]
    public void The_reply_oracle_catches_each_violation(string output, string message) =>
        Assert.That(() => SessionTarget.CheckReplies(output), Throws.TypeOf<OracleViolation>().With.Message.Contains(message));

    [TestCase(" leading")]
    [TestCase("two  spaces")]
    [TestCase("a\u0001control")]
    public void The_snippet_oracle_catches_unclean_text(string snippet) =>
        Assert.That(() => MimeTarget.CheckSnippet(snippet), Throws.TypeOf<OracleViolation>());

    [Test]
    public void The_mime_oracles_catch_long_snippets_repeated_tags_and_unsendable_headers()
    {
        Assert.That(() => MimeTarget.CheckSnippet(new string('x', 204)), Throws.TypeOf<OracleViolation>().With.Message.Contains("204 octets"));
        Assert.That(() => MimeTarget.CheckSnippet(new string('x', 200) + "..."), Throws.Nothing);
        Assert.That(() => MimeTarget.CheckTags(["a", "a"]), Throws.TypeOf<OracleViolation>());
        Assert.That(() => MimeTarget.CheckTags([" a"]), Throws.TypeOf<OracleViolation>());
        Assert.That(() => MimeTarget.CheckHeaderValue("Content-Disposition", "attachment; filename=r\u00e9"), Throws.TypeOf<OracleViolation>().With.Message.Contains("Kestrel"));
        Assert.That(() => MimeTarget.CheckHeaderValue("X", "text/plain\tok"), Throws.Nothing);
        Assert.That(() => HttpTarget.Problem(" "), Throws.TypeOf<OracleViolation>().With.Message.Contains("without a reason"));
    }

    [Test]
    public void The_reply_oracle_counts_replies()
    {
        Assert.That(SessionTarget.CheckReplies("220 hi\r\n250-a\r\n250 b\r\n221 2.0.0 Bye\r\n"), Is.EqualTo(3));
        Assert.That(Inputs().Count(c => c.Arguments[0] is "session"), Is.GreaterThanOrEqualTo(20));
    }
}
