using Microsoft.Extensions.Logging.Abstractions;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.Cli.Tests;

/// <summary>A --store that cannot work fails at start with one line and exit 2; one that fails later says why in one line.</summary>
public class StoreOptionTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("smtpmock-store-").FullName;

    [TearDown]
    public void RemoveFolder()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Test]
    public async Task Store_path_that_is_a_file_is_one_line_and_exit_2()
    {
        var file = Path.Combine(_dir, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");
        var (code, err) = await ServeAsync(file);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Is.EqualTo($"smtpmock: cannot use {file} as the message store: it is a file, not a folder (pick another --store folder)\n"));
    }

    [Test]
    public async Task Store_folder_that_cannot_be_created_is_one_line_and_exit_2()
    {
        var file = Path.Combine(_dir, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");
        var (code, err) = await ServeAsync(Path.Combine(file, "store"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.StartWith($"smtpmock: cannot create the message store folder {Path.Combine(file, "store")}: "));
        Assert.That(err.TrimEnd('\n'), Does.Not.Contain("\n").And.EndWith("(pick another --store folder)"));
    }

    [Test]
    public async Task Store_folder_that_cannot_be_written_is_refused_at_start_with_exit_2()
    {
        // Root writes through file modes, so the unwritable folder is one nobody may add files to: /proc/self.
        string folder;
        if (Environment.UserName == "root" || OperatingSystem.IsWindows())
        {
            folder = "/proc/self";
        }
        else
        {
            folder = Path.Combine(_dir, "read-only");
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        var (code, err) = await ServeAsync(folder);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.StartWith($"smtpmock: cannot write to the message store folder {folder}: "));
        Assert.That(err.TrimEnd('\n'), Does.Not.Contain("\n"));
    }

    [Test]
    public void Store_failure_after_start_is_an_IOException_saying_which_message_and_why()
    {
        var store = MemoryMessageStore.Open(Path.Combine(_dir, "store"), 10, 1 << 20, NullLogger.Instance);
        Directory.Delete(Path.Combine(_dir, "store"), recursive: true);
        var message = new CapturedMessage("m1", 1, DateTimeOffset.UnixEpoch, "127.0.0.1", "client.test", MailPath.Null, [], [], "Subject: x\r\n\r\nx\r\n"u8.ToArray());

        var e = Assert.Throws<IOException>(() => store.Add(message));
        Assert.That(e!.Message, Does.StartWith($"cannot write message m1 to {Path.Combine(_dir, "store")}: "));
        Assert.That(store.Count, Is.Zero);
    }

    private static async Task<(int Code, string Err)> ServeAsync(string store)
    {
        var error = new StringWriter { NewLine = "\n" };
        var code = await SmtpMockCli.RunAsync(["serve", "--port", "0", "--store", store], TextWriter.Null, error);
        return (code, error.ToString());
    }
}
