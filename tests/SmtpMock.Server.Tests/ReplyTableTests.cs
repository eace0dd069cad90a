using System.Reflection;
using System.Text.RegularExpressions;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Server.Tests;

/// <summary>
/// Reply texts live in one table: <see cref="ReplyCatalog"/> holds every code with its enhanced codes, text and
/// meaning; the named replies (<see cref="StandardReplies"/>, <see cref="SecurityReplies"/>) are the only replies made
/// from literals, and each fits a row.
/// </summary>
public partial class ReplyTableTests
{
    private static readonly Type[] Named = [typeof(StandardReplies), typeof(SecurityReplies)];

    /// <summary>Every reply the named replies make: their fields, and their factories called with sample arguments.</summary>
    private static IEnumerable<TestCaseData> NamedReplies()
    {
        foreach (var type in Named)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(SmtpReply)))
            {
                yield return new TestCaseData((SmtpReply)field.GetValue(null)!).SetArgDisplayNames($"{type.Name}.{field.Name}");
            }

            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType == typeof(SmtpReply)))
            {
                var arguments = method.GetParameters().Select(p => Sample(p.ParameterType)).ToArray();
                yield return new TestCaseData((SmtpReply)method.Invoke(null, arguments)!).SetArgDisplayNames($"{type.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})");
            }
        }
    }

    private static object Sample(Type type) =>
        type == typeof(string) ? "x"
        : type == typeof(long) ? 2L
        : type == typeof(int) ? 2
        : type == typeof(bool) ? true
        : type.IsAssignableFrom(typeof(string[])) ? new[] { "x" }
        : throw new NotSupportedException($"no sample for a {type.Name} parameter: add one here");

    [TestCaseSource(nameof(NamedReplies))]
    public void A_named_reply_has_its_code_and_enhanced_code_in_the_table(SmtpReply reply)
    {
        var row = ReplyCatalog.Find(reply.Code);
        Assert.That(row, Is.Not.Null, $"{reply.Code} has no row in ReplyCatalog");
        if (reply.Enhanced is not null)
        {
            Assert.That(row!.Enhanced, Does.Contain(reply.Enhanced), $"{reply} uses an enhanced code its row does not list");
        }
    }

    [Test]
    public void The_table_has_each_code_once_with_a_text_a_meaning_and_enhanced_codes_of_its_class()
    {
        Assert.That(ReplyCatalog.Rows.Select(r => r.Code), Is.Unique.And.Ordered);
        foreach (var row in ReplyCatalog.Rows)
        {
            Assert.That(row.Text, Is.Not.Empty, row.Code.ToString());
            Assert.That(row.Meaning, Has.Length.GreaterThan(10), row.Code.ToString());
            Assert.That(row.Enhanced, row.Code / 100 == 3 ? Is.Empty : Has.Count.GreaterThan(0).And.All.Matches<string>(e => EnhancedStatusCode.IsValidFor(row.Code, e)), row.Code.ToString());
            Assert.That(ReplyCatalog.TextFor(row.Code), Is.EqualTo(row.Text));
            Assert.That(ReplyCatalog.EnhancedFor(row.Code), Is.EqualTo(row.Enhanced.FirstOrDefault()));
        }
    }

    [Test]
    public void No_reply_is_made_from_a_literal_outside_the_named_replies()
    {
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "SmtpMock.sln")))
        {
            root = root.Parent;
        }

        Assert.That(root, Is.Not.Null, "the repository root (SmtpMock.sln) above the test directory");
        var replies = Path.Combine("src", "SmtpMock.Protocol", "Replies") + Path.DirectorySeparatorChar;
        var found = new List<string>();
        foreach (var project in new[] { "SmtpMock.Protocol", "SmtpMock.Server" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root!.FullName, "src", project), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root.FullName, file);
                if (relative.StartsWith(replies, StringComparison.Ordinal) || relative.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                {
                    continue;
                }

                var lines = File.ReadAllLines(file);
                found.AddRange(lines.Select((line, i) => (line, i)).Where(l => ReplyLiteral().IsMatch(l.line)).Select(l => $"{relative}:{l.i + 1}: {l.line.Trim()}"));
            }
        }

        Assert.That(found, Is.Empty, "a reply made from a code literal: give it a name in StandardReplies or SecurityReplies (and its code a row in ReplyCatalog)");
    }

    [Test]
    public void The_literal_scan_recognises_a_reply_literal()
    {
        Assert.That(ReplyLiteral().IsMatch("return new SmtpReply(550, \"5.1.1\", \"No\");"), Is.True);
        Assert.That(ReplyLiteral().IsMatch("Reply = new(421, null, text),"), Is.True);
        Assert.That(ReplyLiteral().IsMatch("new SmtpReply(reply.Code, reply.Enhanced, lines)"), Is.False);
    }

    [GeneratedRegex(@"new( SmtpReply)?\(\s*[2-5][0-9]{2}\s*,\s*(""|null)")]
    private static partial Regex ReplyLiteral();
}
