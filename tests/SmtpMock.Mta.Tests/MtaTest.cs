using System.Text.RegularExpressions;
using NUnit.Framework.Interfaces;

namespace SmtpMock.Mta.Tests;

/// <summary>
/// One smtpmock process and one Postfix instance relaying to it, per test. Both are stopped and their folders
/// deleted after the test, whatever happened; when it failed, Postfix's log and SmtpMock's console come with it.
/// </summary>
public abstract class MtaTest
{
    /// <summary>The most SmtpMock's API is asked to wait for a message (as long as a wait on Postfix).</summary>
    private protected static readonly TimeSpan Deadline = PostfixInstance.Limit;

    private protected const string Sender = "app@example.com";

    /// <summary>How Postfix's log introduces a reply from SmtpMock, as a regex.</summary>
    private protected const string MockSaid = @"\(host 127\.0\.0\.1\[127\.0\.0\.1\] said: ";

    private MockServer? _mock;
    private PostfixInstance? _postfix;

    private protected MockServer Mock => _mock ?? throw new InvalidOperationException("StartMockAsync first");

    /// <summary>Postfix must be installed (Debian's package: its postfix user and postdrop group) and master must run as root.</summary>
    [SetUp]
    public void RequirePostfix()
    {
        var problem = !File.Exists("/usr/sbin/postfix") ? "Postfix is not installed (Debian: apt-get install postfix; .ci/run does)"
            : !Environment.IsPrivilegedProcess ? "these tests start Postfix's master daemon, which runs as root only"
            : null;
        if (problem is not null && Environment.GetEnvironmentVariable("SMTPMOCK_REQUIRE_TOOLS") == "1")
        {
            Assert.Fail(problem + " (SMTPMOCK_REQUIRE_TOOLS=1)");
        }

        Assume.That(problem, Is.Null, problem);
    }

    [TearDown]
    public async Task StopBothAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed)
        {
            await TestContext.Out.WriteLineAsync($"--- Postfix log ---{Environment.NewLine}{_postfix?.ReadLog()}");
            await TestContext.Out.WriteLineAsync($"--- smtpmock console ---{Environment.NewLine}{_mock?.Output}");
        }

        try
        {
            if (_postfix is not null)
            {
                await _postfix.DisposeAsync();
            }
        }
        finally
        {
            if (_mock is not null)
            {
                await _mock.DisposeAsync();
            }
        }
    }

    private protected async Task<MockServer> StartMockAsync(string? scenarioYaml = null, params string[] flags) =>
        _mock = await MockServer.StartAsync(scenarioYaml, flags);

    /// <summary>Configures Postfix to relay to the mock; <see cref="PostfixInstance.StartAsync"/> starts it.</summary>
    private protected async Task<PostfixInstance> CreatePostfixAsync(IReadOnlyDictionary<string, string>? settings = null) =>
        _postfix = await PostfixInstance.CreateAsync(Mock.SmtpPort, settings ?? new Dictionary<string, string>());

    private protected async Task<PostfixInstance> StartPostfixAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var postfix = await CreatePostfixAsync(settings);
        await postfix.StartAsync();
        return postfix;
    }

    /// <summary>Postfix's delivery line for <paramref name="recipient"/> with that status and reason text (a regex).</summary>
    private protected static Regex Delivery(string recipient, string status, string reason = "") =>
        DeliveryTo(Regex.Escape(recipient), status, reason);

    /// <summary>As <see cref="Delivery"/>, for recipients matching <paramref name="recipientPattern"/>.</summary>
    private protected static Regex DeliveryTo(string recipientPattern, string status, string reason = "") =>
        new($@"postfix/smtp\[\d+\]: \w+: to=<{recipientPattern}>, .*status={status} {reason}");
}
