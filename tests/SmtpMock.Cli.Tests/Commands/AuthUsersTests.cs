using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using SmtpMock.Cli.Commands.Serve;

namespace SmtpMock.Cli.Tests.Commands;

/// <summary>
/// Logins kept out of the process list (issue #25 item 10): <c>--auth-users-file</c> and <c>SMTPMOCK_AUTH_USERS</c>, one
/// NAME:PASSWORD a line, as the API token and the relay password already could be.
/// </summary>
public class AuthUsersTests
{
    private string _file = null!;

    [SetUp]
    public void MakeFile() => _file = Path.GetTempFileName();

    [TearDown]
    public void RemoveFile() => File.Delete(_file);

    [Test]
    public void A_file_a_variable_and_flags_add_up_and_comments_and_blank_lines_are_skipped()
    {
        File.WriteAllText(_file, "# the app's login\r\napp:s3cret:with:colons\r\n\r\n  \r\nops:other\n");

        var (users, problem) = AuthUsers.Read(["cli:one"], new FileInfo(_file), "env:two\nenv2:three\n");

        Assert.That(problem, Is.Null);
        Assert.That(users, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["cli"] = "one", ["app"] = "s3cret:with:colons", ["ops"] = "other", ["env"] = "two", ["env2"] = "three",
        }));
    }

    [Test]
    public void A_bad_line_is_named_by_its_number_and_never_shows_the_password()
    {
        File.WriteAllText(_file, "app:ok\nno-colon-s3cret\n");
        var (_, problem) = AuthUsers.Read([], new FileInfo(_file), null);
        Assert.That(problem, Is.EqualTo($"--auth-users-file {_file} line 2 must be name:password"));

        File.WriteAllText(_file, "app:ok\napp:s3cret\n");
        (_, problem) = AuthUsers.Read([], new FileInfo(_file), null);
        Assert.That(problem, Is.EqualTo($"--auth-users-file {_file} line 2: user 'app' is given twice"));

        (_, problem) = AuthUsers.Read(["app:x"], null, "app:s3cret");
        Assert.That(problem, Is.EqualTo("SMTPMOCK_AUTH_USERS line 1: user 'app' is given twice"));
    }

    [Test]
    public async Task A_missing_file_is_one_line_and_exit_2()
    {
        var (code, _, err) = await CommandRun.RunAsync(["serve", "--port", "0", "--no-http", "--auth-users-file", "/nonexistent/users"]);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.TrimEnd(), Does.StartWith("smtpmock: --auth-users-file /nonexistent/users cannot be read:"));
    }

    [Test]
    public async Task Serve_takes_the_users_from_the_file_and_refuses_others()
    {
        File.WriteAllText(_file, "app:s3cret\n");
        await ServeRun.UntilAsync(["--auth-users-file", _file, "--allow-plaintext-auth"], "listening on smtp://", async line =>
        {
            var port = int.Parse(line.Split("smtp://127.0.0.1:")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            using var client = new SmtpClient();
            await client.ConnectAsync(IPAddress.Loopback.ToString(), port, SecureSocketOptions.None);
            await client.AuthenticateAsync("app", "s3cret");
            Assert.That(client.IsAuthenticated, Is.True);
            await client.DisconnectAsync(true);

            using var other = new SmtpClient();
            await other.ConnectAsync(IPAddress.Loopback.ToString(), port, SecureSocketOptions.None);
            await Assert.ThrowsAsync<AuthenticationException>(() => other.AuthenticateAsync("someone", "else"));
        });
    }
}
