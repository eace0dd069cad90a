using System.Text;
using System.Text.Json;
using SmtpMock.Protocol.Grammar;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Tests;

public class StoreTests
{
    private static CapturedMessage Message(string id, int size = 10, string from = "a@example.com") =>
        new(id, 1, DateTimeOffset.UnixEpoch.AddSeconds(id.GetHashCode() & 0xffff), "127.0.0.1:1", "client.test",
            new MailPath(from.Split('@')[0], from.Split('@')[1], null), [new EsmtpParameter("BODY", "8BITMIME")],
            [new Recipient(new MailPath("b", "example.com", null), [])], Encoding.ASCII.GetBytes(new string('x', size)));

    [Test]
    public void Keeps_the_newest_messages_within_the_count()
    {
        var store = new MemoryMessageStore(maxMessages: 3);
        foreach (var id in new[] { "1", "2", "3", "4", "5" })
        {
            store.Add(Message(id));
        }

        Assert.That(store.Messages.Select(m => m.Id), Is.EqualTo(new[] { "3", "4", "5" }));
        Assert.That(store.TotalCaptured, Is.EqualTo(5));
    }

    [Test]
    public void Keeps_the_newest_messages_within_the_byte_budget()
    {
        var store = new MemoryMessageStore(maxMessages: 100, maxBytes: 250);
        foreach (var id in new[] { "1", "2", "3", "4" })
        {
            store.Add(Message(id, size: 100));
        }

        Assert.That(store.Messages.Select(m => m.Id), Is.EqualTo(new[] { "3", "4" }));
    }

    [Test]
    public async Task Wait_completes_for_a_message_that_arrives_later_and_honours_cancellation()
    {
        var store = new MemoryMessageStore();
        var waiting = store.WaitForAsync(m => m.Sender.Address == "late@example.com", CancellationToken.None);
        store.Add(Message("1"));
        Assert.That(waiting.IsCompleted, Is.False);
        store.Add(Message("2", from: "late@example.com"));
        Assert.That((await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Id, Is.EqualTo("2"));

        using var cancel = new CancellationTokenSource();
        var never = store.WaitForAsync(m => m.Id == "nope", cancel.Token);
        await cancel.CancelAsync();
        Assert.That(async () => await never, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void The_directory_writes_eml_and_json_and_loads_them_back()
    {
        var path = Directory.CreateTempSubdirectory("smtpmock-store-").FullName;
        try
        {
            var directory = new MessageDirectory(path);
            var message = Message("abc", size: 42);
            directory.Write(message);
            Assert.That(File.ReadAllBytes(Path.Combine(path, "abc.eml")), Is.EqualTo(message.Raw.ToArray()));
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(path, "abc.json")));
            Assert.That(json.RootElement.GetProperty("mailFrom").GetString(), Is.EqualTo("a@example.com"));
            Assert.That(json.RootElement.GetProperty("recipients")[0].GetProperty("address").GetString(), Is.EqualTo("b@example.com"));
            Assert.That(Directory.GetFiles(directory.TempPath), Is.Empty);

            var loaded = new MessageDirectory(path).Load().Single();
            Assert.That(loaded.Raw.ToArray(), Is.EqualTo(message.Raw.ToArray()));
            Assert.That(loaded.SenderParameters.Single().ToString(), Is.EqualTo("BODY=8BITMIME"));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Test]
    public void Leftovers_of_an_interrupted_write_are_removed_and_never_listed_and_nothing_else_is_touched()
    {
        var path = Directory.CreateTempSubdirectory("smtpmock-store-").FullName;
        try
        {
            var temp = Path.Combine(path, MessageDirectory.PrivateFolder, "tmp");
            Directory.CreateDirectory(temp);
            File.WriteAllText(Path.Combine(temp, "half.eml.1234.tmp"), "Subject: cut");
            File.WriteAllText(Path.Combine(path, "orphan.json"), "{}");
            File.WriteAllText(Path.Combine(path, "someone-elses.tmp"), "not the store's");
            var directory = new MessageDirectory(path);
            Assert.That(Directory.GetFiles(temp), Is.Empty);
            Assert.That(File.ReadAllText(Path.Combine(path, "someone-elses.tmp")), Is.EqualTo("not the store's"), "a file the store did not write is never deleted (--store . once lost them)");
            Assert.That(File.Exists(Path.Combine(path, "orphan.json")), Is.True);
            Assert.That(directory.Load(), Is.Empty);
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Test]
    public void Opening_a_store_names_the_eml_files_it_cannot_load_instead_of_ignoring_them()
    {
        var path = Directory.CreateTempSubdirectory("smtpmock-store-").FullName;
        try
        {
            new MessageDirectory(path).Write(Message("kept"));
            File.WriteAllText(Path.Combine(path, "copied-by-hand.eml"), "Subject: no envelope\r\n\r\nx\r\n");
            File.WriteAllText(Path.Combine(path, "broken.eml"), "Subject: x\r\n\r\nx\r\n");
            File.WriteAllText(Path.Combine(path, "broken.json"), "{not json");
            var log = new ListLogger();

            var store = MemoryMessageStore.Open(path, 10, 1 << 20, log);

            Assert.That(store.Messages.Select(m => m.Id), Is.EqualTo(new[] { "kept" }));
            Assert.That(log.Lines, Is.EqualTo(new[]
            {
                $"left 2 .eml files in {path} unloaded (broken.eml, copied-by-hand.eml): each message needs the <id>.json envelope this server writes beside its .eml",
                $"loaded 1 message from {path}",
            }));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Stored_mail_is_private_to_the_user_unless_shared()
    {
        var parent = Directory.CreateTempSubdirectory("smtpmock-store-").FullName;
        try
        {
            var privateStore = Path.Combine(parent, "private");
            new MessageDirectory(privateStore).Write(Message("p", size: 10));
            var sharedStore = Path.Combine(parent, "shared");
            new MessageDirectory(sharedStore, shared: true).Write(Message("s", size: 10));

            const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            const UnixFileMode Rwx = Rw | UnixFileMode.UserExecute;
            Assert.That(File.GetUnixFileMode(privateStore), Is.EqualTo(Rwx));
            Assert.That(File.GetUnixFileMode(Path.Combine(privateStore, "p.eml")), Is.EqualTo(Rw));
            Assert.That(File.GetUnixFileMode(Path.Combine(privateStore, "p.json")), Is.EqualTo(Rw));
            Assert.That(File.GetUnixFileMode(sharedStore), Is.EqualTo(Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute));
            Assert.That(File.GetUnixFileMode(Path.Combine(sharedStore, "s.eml")), Is.EqualTo(Rw | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
