using System.Text;
using SmtpMock.Server.Capture;
using SmtpMock.Server.Tests.Harness;
using static SmtpMock.Server.Tests.Harness.Dialog;

namespace SmtpMock.Server.Tests;

/// <summary>With a store directory, a large message streams to disk and is renamed into place, never held whole.</summary>
public class SpoolTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("smtpmock-spool-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private static string Body(int lines) =>
        string.Concat(Enumerable.Range(0, lines).Select(i => $"line {i:D8} " + new string('x', 60) + "\r\n"));

    [Test]
    public async Task A_message_over_the_spill_threshold_is_spooled_to_the_store_directory()
    {
        var body = "Subject: big\r\n\r\n" + Body(100_000); // about 7.4 MB
        var options = SessionDriver.Options(o => o with { MaxMessageSize = 64L * 1024 * 1024 });
        var store = new MemoryMessageStore(directory: new MessageDirectory(_dir));
        var result = await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + Rcpt + "DATA\r\n" + body + ".\r\n"), Split.PerLine, options, store);

        Assert.That(result.Codes.Last(), Is.EqualTo("250 2.0.0"));
        var message = store.Messages.Single();
        Assert.That(message.ContentFile, Is.EqualTo(Path.Combine(_dir, message.Id + ".eml")));
        Assert.That(message.MemorySize, Is.Zero, "the content is not held in memory");
        Assert.That(message.Size, Is.EqualTo(Encoding.ASCII.GetByteCount(body)));
        Assert.That(File.ReadAllText(message.ContentFile!), Is.EqualTo(body));
        Assert.That(message.Message.Subject, Is.EqualTo("big"));
        Assert.That(Directory.GetFiles(Path.Combine(_dir, ".smtpmock", "tmp")), Is.Empty, "the spool file was renamed, not copied");
    }

    [Test]
    public async Task A_spooled_message_that_is_refused_leaves_no_file()
    {
        var options = SessionDriver.Options(o => o with { MaxMessageSize = 6L * 1024 * 1024 });
        var store = new MemoryMessageStore(directory: new MessageDirectory(_dir));
        var result = await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + Rcpt + "DATA\r\n" + Body(100_000) + ".\r\n"), Split.Whole, options, store);
        Assert.That(result.Codes.Last(), Is.EqualTo("552 5.3.4"));
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    [Test]
    public async Task A_disconnect_mid_message_deletes_the_spool_file()
    {
        var store = new MemoryMessageStore(directory: new MessageDirectory(_dir));
        await SessionDriver.RunAsync(Splitter.Bytes(Ehlo + Mail + Rcpt + "DATA\r\n" + Body(100_000)), Split.Whole, SessionDriver.Options(o => o with { MaxMessageSize = 64L * 1024 * 1024 }), store);
        Assert.That(store.Count, Is.Zero);
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    [Test]
    public void A_restart_lists_a_large_message_from_disk_without_loading_it()
    {
        var body = Encoding.ASCII.GetBytes(Body(80_000));
        var first = new MessageDirectory(_dir);
        first.Write(new CapturedMessage("big", 1, DateTimeOffset.UnixEpoch, "c", "h", Protocol.Grammar.MailPath.Null, [], [], body));
        var loaded = new MessageDirectory(_dir).Load().Single();
        Assert.That(loaded.MemorySize, Is.Zero);
        Assert.That(loaded.Size, Is.EqualTo(body.Length));
        Assert.That(loaded.Raw.ToArray(), Is.EqualTo(body));
    }
}
