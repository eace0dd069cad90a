using System.CommandLine;
using SmtpMock.Cli.Commands.Serve;

namespace SmtpMock.Cli.Tests;

/// <summary>What the CLI says when something is wrong: one line starting smtpmock:, in the user's terms, saying what to do.</summary>
public class CliMessagesTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("smtpmock-cli-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = await SmtpMockCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [TestCase("--port", "abc", "smtpmock: --port 'abc' is not a port number (use 0 to 65535; 0 picks a free port)")]
    [TestCase("--max-recipients", "many", "smtpmock: --max-recipients 'many' is not a whole number (e.g. --max-recipients 100)")]
    [TestCase("--log-level", "Verbose", "smtpmock: --log-level 'Verbose' is not one of: Debug, Information, Warning, Error")]
    [TestCase("--bare-line-endings", "sometimes", "smtpmock: --bare-line-endings 'sometimes' is not one of: Normalize, Keep, Reject")]
    public async Task Bad_values_are_explained_without_dotnet_type_names(string flag, string value, string expected)
    {
        var (code, _, err) = await RunAsync(flag, value);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.Split('\n')[0], Is.EqualTo(expected));
        Assert.That(err, Does.Not.Contain("System.").And.Not.Contain("LogLevelName").And.Not.Contain("BareLineEndingPolicy"));
    }

    [TestCase("smtpmock: --max-recipients 0 is too small: use at least 1", "--max-recipients", "0")]
    [TestCase("smtpmock: --max-connections 0 is too small: use at least 1", "--max-connections", "0")]
    [TestCase("smtpmock: --max-bad-commands 0 is too small: use at least 1", "--max-bad-commands", "0")]
    [TestCase("smtpmock: --max-messages 0 is too small: use at least 1", "--max-messages", "0")]
    [TestCase("smtpmock: --max-store-bytes 0 is too small: use at least 1", "--max-store-bytes", "0")]
    [TestCase("smtpmock: --max-store-bytes 99999999999999999999 is too large: use at most 9223372036854775807", "--max-store-bytes", "99999999999999999999")]
    [TestCase("smtpmock: --max-messages 99999999999 is too large: use at most 2147483647", "--max-messages", "99999999999")]
    [TestCase("smtpmock: --max-message-size 0 is too small: use at least 1", "--max-message-size", "0")]
    [TestCase("smtpmock: --max-line-length 100 is too small: use at least 512 (RFC 5321 §4.5.3.1.4)", "--max-line-length", "100")]
    [TestCase("smtpmock: --command-timeout 0 is too small: use at least 1", "--command-timeout", "0")]
    [TestCase("smtpmock: --data-timeout 100000000 is too large: use at most 4233600 (49 days)", "--data-timeout", "100000000")]
    [TestCase("smtpmock: --http-port 'abc' is not a port number (use 0 to 65535; 0 picks a free port)", "--http-port", "abc")]
    [TestCase("smtpmock: --tls-port 'abc' is not a port number (use 0 to 65535; 0 picks a free port)", "--tls-port", "abc")]
    [TestCase("smtpmock: --max-auth-failures 'x' is not a whole number (e.g. --max-auth-failures 20)", "--max-auth-failures", "x")]
    [TestCase("smtpmock: --port 'abc' is not a port number (use 1 to 65535)", "send", "--from", "a@example.com", "--to", "b@example.com", "--port", "abc")]
    [TestCase("smtpmock: --timeout 'soon' is not a whole number (e.g. --timeout 30)", "send", "--from", "a@example.com", "--to", "b@example.com", "--timeout", "soon")]
    [TestCase("smtpmock: --timeout 'abc' is not a number (e.g. --timeout 2)", "health", "--timeout", "abc")]
    [TestCase("smtpmock: --timeout 0 is too small: use at least 0.1", "health", "--timeout", "0")]
    [TestCase("smtpmock: --timeout 'NaN' is not a number (e.g. --timeout 2)", "health", "--timeout", "NaN")]
    public async Task Every_numeric_flag_names_itself_and_the_bound_to_use(string expected, params string[] args)
    {
        var (code, _, err) = await RunAsync(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Is.EqualTo(expected + "\n"), "one line, naming the flag");
        Assert.That(err, Does.Not.Contain("System."));
    }

    [TestCase("smtpmock: --host is empty: give an address such as 127.0.0.1 or 0.0.0.0 (is a variable unset?)", "--host", "")]
    [TestCase("smtpmock: --http-host is empty: give an address such as 127.0.0.1 or 0.0.0.0 (is a variable unset?)", "--port", "0", "--http-host", "")]
    [TestCase("smtpmock: --store is empty: give a folder or a postgresql:// URI (is a variable unset?)", "--store", "")]
    [TestCase("smtpmock: --tls-cert is empty: give a path (is a variable unset?)", "--tls-cert", "", "--tls-key", "k.pem")]
    [TestCase("smtpmock: --tls-export-cert is empty: give a path (is a variable unset?)", "--tls-export-cert", " ")]
    [TestCase("smtpmock: a scenario path is empty (is a variable unset?): give a file or folder", "--port", "0", "--no-http", "--scenario", "")]
    [TestCase("smtpmock: a scenario path is empty (is a variable unset?): give a file or folder", "validate", "")]
    [TestCase("smtpmock: --eml is empty: give a path (is a variable unset?)", "send", "--from", "a@example.com", "--to", "b@example.com", "--eml", "")]
    [TestCase("smtpmock: --attach is empty: give a path (is a variable unset?)", "send", "--from", "a@example.com", "--to", "b@example.com", "--attach", "")]
    [TestCase("smtpmock: --host is empty: give a host name or address, e.g. 127.0.0.1 (see smtpmock health --help)", "health", "--host", "")]
    public async Task An_empty_path_is_named_by_its_flag_never_a_type_name_or_a_crash(string expected, params string[] args)
    {
        var (code, _, err) = await RunAsync(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Is.EqualTo(expected + "\n"));
    }

    [Test]
    public async Task Log_level_is_accepted_in_any_case()
    {
        var parse = SmtpMockCli.Create().Parse(["--log-level", "debug"]);
        Assert.That(parse.Errors, Is.Empty);
        Assert.That(parse.GetValue(ServeCommand.LogLevel), Is.EqualTo(LogLevelName.Debug));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Help_shows_placeholders_the_readme_uses()
    {
        var (code, output, _) = await RunAsync("--help");
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("--store <DIR|URI>").And.Contain("--port <PORT>").And.Contain("--host <ADDRESS>")
            .And.Contain("--scenario <FILE|DIR>").And.Contain("--log-level <Debug|Information|Warning|Error>"));
    }

    [Test]
    public async Task Host_localhost_is_accepted()
    {
        var options = ServeOptions.Build(SmtpMockCli.Create().Parse(["--host", "localhost"])).Options!;
        Assert.That(System.Net.IPAddress.IsLoopback(options.EndPoint.Address), Is.True);
        await Task.CompletedTask;
    }

    [Test]
    public async Task Host_name_that_does_not_resolve_is_one_line_and_exit_2()
    {
        var (code, _, err) = await RunAsync("--host", "nosuch.invalid", "--port", "0");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Is.EqualTo("smtpmock: --host 'nosuch.invalid' is not an IP address and does not resolve (try 127.0.0.1, 0.0.0.0 or localhost)\n"));
    }

    [Test]
    public async Task Scenario_name_without_scenario_says_what_to_add()
    {
        var (code, _, err) = await RunAsync("--scenario-name", "flaky", "--port", "0");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Is.EqualTo("smtpmock: --scenario-name flaky needs --scenario FILE|DIR to load it from (smtpmock --scenario scenarios/ --scenario-name flaky)\n"));
    }

    [Test]
    public async Task Unknown_scenario_name_has_no_fake_position()
    {
        Write("a.yaml", "name: first\nrules: []\n");
        var (code, _, err) = await RunAsync("--scenario", _dir, "--scenario-name", "nope", "--port", "0");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Is.EqualTo("smtpmock: no scenario named 'nope'; the loaded ones are: first\n"));
    }

    [Test]
    public async Task Missing_scenario_file_has_no_position()
    {
        var missing = Path.Combine(_dir, "missing.yaml");
        var (code, _, err) = await RunAsync("--scenario", missing, "--port", "0");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Is.EqualTo($"smtpmock: {missing}: no such file or folder (check the path)\n"));
    }

    [Test]
    public async Task Validate_reports_duplicate_names_at_the_name_line_like_serve()
    {
        var a = Write("a.yaml", "name: flaky\nrules:\n  - on: RCPT\n    reply: 451\n");
        var b = Write("b.yaml", "# the same name again\nname: flaky\nrules: []\n");
        var expected = $"{b}:2:1: two scenarios are named 'flaky': this file and {a}; give each its own name\n";

        var (code, output, err) = await RunAsync("validate", _dir);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.EqualTo($"{a}: ok ('flaky', 1 rule)\n"));
        Assert.That(err, Is.EqualTo(expected));

        var (serveCode, _, serveErr) = await RunAsync("serve", "--port", "0", "--scenario", _dir);
        Assert.That(serveCode, Is.EqualTo(2));
        Assert.That(serveErr, Is.EqualTo(expected));
    }

    [Test]
    public async Task Validate_of_a_folder_without_scenario_files_says_so_and_exits_2()
    {
        Write("notes.txt", "not a scenario\n");

        var (code, output, err) = await RunAsync("validate", _dir);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(err, Is.EqualTo($"smtpmock: {_dir}: no scenario files (*.yaml, *.yml) in this folder (check the path)\n"));
    }

    [Test]
    public async Task Validate_checks_a_file_named_twice_once()
    {
        var a = Write("a.yaml", "name: only\nrules: []\n");
        var (code, output, err) = await RunAsync("validate", _dir, a);
        Assert.That((code, output, err), Is.EqualTo((0, $"{a}: ok ('only', 0 rules)\n", string.Empty)));
    }
}
