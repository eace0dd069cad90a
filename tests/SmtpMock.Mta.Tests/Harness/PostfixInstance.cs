using System.Text.RegularExpressions;

namespace SmtpMock.Mta.Tests.Harness;

/// <summary>
/// A throw-away Postfix: its own config, queue and data folders under /tmp, started with <c>postfix -c DIR start</c>,
/// relaying every message to SmtpMock, logging to a file of its own (<c>maillog_file</c> through postlogd). Mail
/// goes in with <c>sendmail -C DIR</c>, so the instance listens on no port. Disposing it stops its daemons and
/// deletes its folders.
/// </summary>
internal sealed class PostfixInstance : IAsyncDisposable
{
    private const string Commands = "/usr/sbin";

    /// <summary>The most any one wait here may take: Postfix retries every one to two seconds in these tests.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly string _root;
    private readonly int _relayPort;
    private readonly Dictionary<string, string> _settings;
    private bool _started;

    private PostfixInstance(string root, int relayPort, Dictionary<string, string> settings)
    {
        _root = root;
        _relayPort = relayPort;
        _settings = settings;
    }

    public string ConfigDirectory => Path.Combine(_root, "config");

    public string LogFile => Path.Combine(_root, "maillog");

    /// <summary>
    /// Writes the configuration and has <c>postfix check</c> vet it and create the queue's folders: the instance is
    /// not running yet, but <see cref="SubmitAsync"/> already queues (into maildrop).
    /// </summary>
    public static async Task<PostfixInstance> CreateAsync(int relayPort, IReadOnlyDictionary<string, string> settings)
    {
        var postfix = new PostfixInstance(TempFolder.Create("smtpmock-postfix-"), relayPort, new(settings, StringComparer.Ordinal));
        try
        {
            TempFolder.CreateBelow(postfix._root, "config");
            TempFolder.CreateBelow(postfix._root, "queue");
            File.WriteAllText(Path.Combine(postfix.ConfigDirectory, "master.cf"), PostfixConfig.MasterCf);
            postfix.WriteMainCf();
            await postfix.PostfixAsync("check");
            return postfix;
        }
        catch
        {
            await postfix.DisposeAsync();
            throw;
        }
    }

    /// <summary>A file in the config folder (a password table, say): main.cf names it <c>$config_directory/NAME</c>.</summary>
    public void WriteConfigFile(string name, string text) => File.WriteAllText(Path.Combine(ConfigDirectory, name), text);

    public async Task StartAsync()
    {
        _started = true;
        await PostfixAsync("start");
    }

    /// <summary>
    /// Restarts with changed main.cf <paramref name="settings"/>, or to re-read the tables main.cf names. Not
    /// <c>postfix reload</c>: that restarts qmgr, and a qmgr that starts while an smtp process still holds a message
    /// sets the message aside for 60 seconds ("skipped, still being delivered"). A stopped instance has no smtp
    /// process left.
    /// </summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[name] = value;
        }

        await StopAsync();
        WriteMainCf();
        await StartAsync();
    }

    /// <summary>Posts a small message with <c>sendmail -C DIR -f FROM -- TO</c>, as a local program would.</summary>
    public Task SubmitAsync(string from, string to, string subject) =>
        Command.RunCheckedAsync(
            Path.Combine(Commands, "sendmail"),
            ["-C", ConfigDirectory, "-i", "-f", from, "--", to],
            $"From: <{from}>\nTo: <{to}>\nSubject: {subject}\n\nSent through Postfix to SmtpMock.\n");

    /// <summary><c>postqueue -f</c>: every deferred message is tried now.</summary>
    public Task FlushAsync() => Command.RunCheckedAsync(Path.Combine(Commands, "postqueue"), ["-c", ConfigDirectory, "-f"]);

    /// <summary><c>postqueue -j</c>: what is still queued, and where.</summary>
    public async Task<IReadOnlyList<QueuedMessage>> ReadQueueAsync()
    {
        var result = await Command.RunCheckedAsync(Path.Combine(Commands, "postqueue"), ["-c", ConfigDirectory, "-j"]);
        return QueuedMessage.ParseAll(result.Output);
    }

    /// <summary>Waits until the queue, as <c>postqueue -j</c> shows it, satisfies <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<QueuedMessage>> WaitForQueueAsync(Func<IReadOnlyList<QueuedMessage>, bool> condition, string what)
    {
        IReadOnlyList<QueuedMessage> last = [];
        return await Eventually.WaitAsync(
            async () =>
            {
                last = await ReadQueueAsync();
                return condition(last) ? last : null;
            },
            Limit,
            "Postfix's queue: " + what,
            () => $"queue: [{string.Join(" | ", last)}]{Environment.NewLine}{ReadLog()}");
    }

    /// <summary>Waits until nothing is left in the queue: every message was sent or bounced.</summary>
    public Task WaitUntilEmptyAsync() => WaitForQueueAsync(queue => queue.Count == 0, "empty");

    /// <summary>
    /// Waits until a message to <paramref name="recipient"/> is in the queue with a delay reason containing
    /// <paramref name="reason"/>: Postfix deferred it and kept it (a bounced message leaves the queue).
    /// </summary>
    public async Task<QueuedRecipient> WaitUntilDeferredAsync(string recipient, string reason)
    {
        bool Held(QueuedRecipient r) => r.Address == recipient && r.DelayReason?.Contains(reason, StringComparison.Ordinal) == true;
        var queue = await WaitForQueueAsync(q => q.SelectMany(m => m.Recipients).Any(Held), $"<{recipient}> deferred with '{reason}'");
        return queue.SelectMany(m => m.Recipients).First(Held);
    }

    public string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no maillog yet)";

    /// <summary>The log lines that match <paramref name="pattern"/>, oldest first.</summary>
    public IReadOnlyList<string> LogLines(Regex pattern) => [.. ReadLog().Split('\n').Where(line => pattern.IsMatch(line))];

    /// <summary>Waits for <paramref name="count"/> log lines matching <paramref name="pattern"/> and returns them.</summary>
    public Task<IReadOnlyList<string>> WaitForLogAsync(Regex pattern, int count = 1) =>
        Eventually.WaitAsync(
            () => Task.FromResult(LogLines(pattern) is { } lines && lines.Count >= count ? lines : null),
            Limit,
            $"{count} line(s) matching /{pattern}/ in Postfix's log",
            ReadLog);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_started)
            {
                await StopAsync();
            }
        }
        finally
        {
            TempFolder.Delete(_root);
        }
    }

    /// <summary>
    /// <c>postfix stop</c> waits up to five seconds for master to end; if it is still there, <c>postfix abort</c>.
    /// Either way no daemon of this instance outlives the test.
    /// </summary>
    private async Task StopAsync()
    {
        var stop = await PostfixCommandAsync("stop");
        if ((await PostfixCommandAsync("status")).ExitCode != 0)
        {
            return;
        }

        var abort = await PostfixCommandAsync("abort");
        if ((await PostfixCommandAsync("status")).ExitCode == 0)
        {
            throw new AssertionException($"Postfix in {_root} is still running after stop and abort: {stop}; {abort}");
        }
    }

    private Task PostfixAsync(string verb) => Command.RunCheckedAsync(Path.Combine(Commands, "postfix"), ["-c", ConfigDirectory, verb]);

    private Task<CommandResult> PostfixCommandAsync(string verb) => Command.RunAsync(Path.Combine(Commands, "postfix"), ["-c", ConfigDirectory, verb]);

    private void WriteMainCf() => File.WriteAllText(Path.Combine(ConfigDirectory, "main.cf"), PostfixConfig.MainCf(_root, _relayPort, _settings));
}
