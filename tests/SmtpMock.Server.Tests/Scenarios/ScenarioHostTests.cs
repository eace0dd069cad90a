using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Scenarios;

namespace SmtpMock.Server.Tests.Scenarios;

public class ScenarioHostTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("smtpmock-scenarios-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static ScenarioHost Host(params string[] paths) => HostNamed(null, paths);

    private static ScenarioHost HostNamed(string? active, params string[] paths) =>
        new(new SmtpServerOptions { ScenarioPaths = paths, ActiveScenario = active }, NullLogger.Instance);

    [Test]
    public void A_folder_loads_every_yaml_file_and_the_first_is_active()
    {
        Write("b.yaml", "name: second\nrules: []\n");
        Write("a.yml", "name: first\nrules: []\n");
        Write("notes.txt", "not a scenario");
        using var host = Host(_dir);
        Assert.That(host.Loaded.Select(s => s.Name), Is.EqualTo(new[] { "first", "second" }));
        Assert.That(host.Active!.Name, Is.EqualTo("first"));
    }

    [Test]
    public void One_scenario_is_chosen_by_name_and_can_be_switched()
    {
        var a = Write("a.yaml", "name: first\nrules: []\n");
        var b = Write("b.yaml", "name: second\nrules: []\n");
        using var host = HostNamed("second", a, b);
        Assert.That(host.Active!.Name, Is.EqualTo("second"));
        host.Activate("first");
        Assert.That(host.Active!.Name, Is.EqualTo("first"));
        Assert.That(() => host.Activate("third"), Throws.TypeOf<ScenarioException>().With.Message.Contains("no scenario named 'third'"));
        host.Activate((Scenario?)null);
        Assert.That(host.Active, Is.Null);
    }

    [Test]
    public void Every_problem_of_every_file_is_reported_at_start()
    {
        var a = Write("a.yaml", "name: a\nrules:\n  - on: NOPE\n    reply: 503\n");
        var b = Write("b.yaml", "name: b\nrules:\n  - on: MAIL\n    reply: 999\n");
        var e = Assert.Throws<ScenarioException>(() => Host(a, b, Path.Combine(_dir, "missing.yaml")));
        Assert.That(e!.Problems.Select(p => Path.GetFileName(p.File)), Is.EqualTo(new[] { "a.yaml", "b.yaml", "missing.yaml" }));
    }

    [Test]
    public void Two_scenarios_with_one_name_are_refused()
    {
        Write("a.yaml", "name: same\nrules: []\n");
        Write("b.yaml", "name: same\nrules: []\n");
        Assert.That(() => Host(_dir), Throws.TypeOf<ScenarioException>().With.Message.Contains("two scenarios are named 'same'"));
    }

    [Test]
    public void Duplicate_names_at_start_are_reported_at_the_second_files_name_line()
    {
        var a = Write("a.yaml", "name: same\nrules: []\n");
        var b = Write("b.yaml", "description: also\nname: same\nrules: []\n");
        var e = Assert.Throws<ScenarioException>(() => Host(_dir));
        Assert.That(e!.Problems.Select(p => p.ToString()), Is.EqualTo(new[] { $"{b}:2:1: two scenarios are named 'same': this file and {a}; give each its own name" }));
    }

    [Test]
    public void Duplicate_added_while_running_is_logged_naming_both_files_and_the_last_good_set_stays()
    {
        var a = Write("a.yaml", "name: same\nrules: []\n");
        var log = new LineLogger();
        using var host = new ScenarioHost(new SmtpServerOptions { ScenarioPaths = [_dir] }, log);
        var b = Write("b.yaml", "name: same\nrules:\n  - on: NOOP\n    reply: 451\n");

        Assert.That(host.Reload(b), Is.False);
        Assert.That(host.Loaded.Select(s => s.SourcePath), Is.EqualTo(new[] { a }));
        Assert.That(log.Lines.Single(l => l.Contains("not loaded", StringComparison.Ordinal)), Does.Contain($"{b}:1:1: two scenarios are named 'same': this file and {a}"));
    }

    [Test]
    public async Task New_file_in_a_watched_folder_is_loaded_and_a_duplicate_one_is_reported()
    {
        Write("a.yaml", "name: first\nrules: []\n");
        var log = new LineLogger();
        using var host = new ScenarioHost(new SmtpServerOptions { ScenarioPaths = [_dir] }, log);
        host.Watch();

        Write("b.yaml", "name: second\nrules: []\n");
        await log.WaitForAsync("loaded ('second')", TimeSpan.FromSeconds(15));
        Assert.That(host.Loaded.Select(s => s.Name), Is.EqualTo(new[] { "first", "second" }));

        var c = Write("c.yaml", "name: first\nrules: []\n");
        await log.WaitForAsync("two scenarios are named 'first'", TimeSpan.FromSeconds(15));
        Assert.That(host.Loaded.Select(s => s.Name), Is.EqualTo(new[] { "first", "second" }));
        Assert.That(host.Active!.SourcePath, Is.Not.EqualTo(c));
    }

    [Test]
    public void A_first_scenario_saved_into_an_empty_folder_becomes_active_until_one_is_chosen()
    {
        var log = new LineLogger();
        using var host = new ScenarioHost(new SmtpServerOptions { ScenarioPaths = [_dir] }, log);
        Assert.That(host.Active, Is.Null);
        Assert.That(log.Lines, Has.Some.StartsWith($"No scenario file in {_dir} yet"));

        var late = Write("late.yaml", "name: late\nrules:\n  - on: NOOP\n    reply: 451\n");
        Assert.That(host.Reload(late), Is.True);
        Assert.That(host.Active!.Name, Is.EqualTo("late"));
        Assert.That(log.Lines, Has.Some.EqualTo($"Scenario file {late} loaded ('late')"));

        // Once a choice was made (here none, as DELETE /api/v1/scenario does), a new file only loads.
        host.Activate((Scenario?)null);
        Assert.That(host.Reload(Write("other.yaml", "name: other\nrules: []\n")), Is.True);
        Assert.That(host.Active, Is.Null);
    }

    [Test]
    public void Unknown_scenario_name_says_which_are_loaded_without_a_fake_position()
    {
        Write("a.yaml", "name: first\nrules: []\n");
        var e = Assert.Throws<ScenarioException>(() => HostNamed("nope", _dir));
        Assert.That(e!.Problems.Single().HasPosition, Is.False);
        Assert.That(e.Problems.Single().ToString(), Is.EqualTo("no scenario named 'nope'; the loaded ones are: first"));
    }

    [Test]
    public void A_reload_takes_a_good_change_and_a_broken_change_keeps_the_last_good_version()
    {
        var path = Write("a.yaml", "name: a\nrules:\n  - on: NOOP\n    reply: 451\n");
        using var host = Host(path);
        File.WriteAllText(path, "name: a\nrules:\n  - on: NOOP\n    reply: 452\n");
        Assert.That(host.Reload(path), Is.True);
        Assert.That(Code(host), Is.EqualTo(452));

        File.WriteAllText(path, "name: a\nrules:\n  - on: NOOP\n    reply: 999\n");
        Assert.That(host.Reload(path), Is.False);
        Assert.That(Code(host), Is.EqualTo(452));
    }

    [Test]
    public async Task A_deleted_active_file_is_logged_and_its_scenario_stays_active()
    {
        var path = Write("a.yaml", "name: a\nrules:\n  - on: NOOP\n    reply: 451\n");
        var log = new LineLogger();
        using var host = new ScenarioHost(new SmtpServerOptions { ScenarioPaths = [_dir] }, log);
        host.Watch();
        File.Delete(path);
        await log.WaitForAsync("was deleted", TimeSpan.FromSeconds(15));
        Assert.That(log.Lines.Single(l => l.Contains("was deleted", StringComparison.Ordinal)), Does.Contain($"{path} was deleted: 'a' stays loaded and active until the server restarts"));
        Assert.That(host.Active!.Name, Is.EqualTo("a"));
        Assert.That(Code(host), Is.EqualTo(451));
    }

    [Test]
    public void A_renamed_file_takes_the_place_of_its_deleted_namesake_and_stays_active()
    {
        // mv a.yaml b.yaml, or an editor's "save as" then delete: the old path is gone, its scenario was still loaded
        // and the new file was refused as a duplicate of a file that no longer exists.
        var old = Write("a.yaml", "name: a\nrules:\n  - on: NOOP\n    reply: 451\n");
        Write("other.yaml", "name: other\nrules: []\n");
        using var host = Host(_dir);
        Assert.That(host.Active!.Name, Is.EqualTo("a"));

        File.Delete(old);
        var renamed = Write("b.yaml", "name: a\nrules:\n  - on: NOOP\n    reply: 452\n");

        Assert.That(host.Reload(renamed), Is.True);
        Assert.That(host.Loaded.Select(s => s.SourcePath), Is.EqualTo(new[] { renamed, Path.Combine(_dir, "other.yaml") }));
        Assert.That(host.Active!.SourcePath, Is.EqualTo(renamed));
        Assert.That(Code(host), Is.EqualTo(452));

        // A namesake whose file is still there is a duplicate, as before.
        Assert.That(host.Reload(Write("c.yaml", "name: other\nrules: []\n")), Is.False);
    }

    [Test]
    public async Task A_change_on_disk_is_picked_up_without_a_restart()
    {
        var path = Write("a.yaml", "name: a\nrules:\n  - on: NOOP\n    reply: 451\n");
        using var host = Host(path);
        var changed = new TaskCompletionSource<Scenario?>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Changed += s => changed.TrySetResult(s);
        host.Watch();
        await File.WriteAllTextAsync(path, "name: a\nrules:\n  - on: NOOP\n    reply: 550\n");
        var reloaded = await changed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.That(reloaded!.Name, Is.EqualTo("a"));
        Assert.That(Code(host), Is.EqualTo(550));
    }

    private static int Code(ScenarioHost host) =>
        ((RuleReply.Standard)host.Active!.Rules[0].Reply!).Reply.Code;

    /// <summary>Keeps every formatted log line; a test waits, with a deadline, for one containing some text.</summary>
    private sealed class LineLogger : ILogger
    {
        private readonly Lock _gate = new();
        private readonly List<string> _lines = [];
        private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_gate)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = formatter(state, exception);
            lock (_gate)
            {
                _lines.Add(line);
                foreach (var (text, seen) in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
                {
                    seen.TrySetResult();
                }
            }
        }

        public async Task WaitForAsync(string text, TimeSpan limit)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
                {
                    return;
                }

                _waiters.Add((text, seen));
            }

            try
            {
                await seen.Task.WaitAsync(limit);
            }
            catch (TimeoutException)
            {
                throw new AssertionException($"no log line with '{text}' within {limit.TotalSeconds} s; logged: {string.Join(" | ", Lines)}");
            }
        }
    }
}
