using System.Text.Json;
using MimeKit;

namespace SmtpMock.EndToEnd.Tests;

/// <summary>With StoreDirectory set, messages are files: id.eml and id.json, reloaded by the next server.</summary>
[TestFixture]
public sealed class StoreDirectoryTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("smtpmock-e2e-store-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Message_is_written_as_eml_and_json()
    {
        await using var server = await TestServer.StartAsync(o => o with { StoreDirectory = _directory });

        var sent = await MailKitSender.SendOneAsync(server, NewMessage("On disk"));

        var id = sent.Captured.Id;
        var eml = Path.Combine(_directory, id + ".eml");
        var json = Path.Combine(_directory, id + ".json");
        Assert.That(eml, Does.Exist);
        Assert.That(json, Does.Exist);
        Assert.That(await File.ReadAllBytesAsync(eml), Is.EqualTo(sent.Captured.Raw.ToArray()));
        Assert.That(await File.ReadAllBytesAsync(eml), Is.EqualTo(sent.Expected));

        using var envelope = JsonDocument.Parse(await File.ReadAllBytesAsync(json));
        var root = envelope.RootElement;
        Assert.That(root.GetProperty("id").GetString(), Is.EqualTo(id));
        Assert.That(root.GetProperty("mailFrom").GetString(), Is.EqualTo("disk-sender@example.com"));
        var recipients = root.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("address").GetString()).ToList();
        Assert.That(recipients, Is.EqualTo(new[] { "disk-one@example.org", "disk-two@example.org" }));
        Assert.That(root.GetProperty("size").GetInt64(), Is.EqualTo(sent.Expected.Length));
        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EquivalentTo(new[] { id + ".eml", id + ".json" }));
    }

    [Test]
    public async Task Second_server_on_the_same_directory_lists_the_earlier_messages()
    {
        MailKitSent sent;
        await using (var first = await TestServer.StartAsync(o => o with { StoreDirectory = _directory }))
        {
            sent = await MailKitSender.SendOneAsync(first, NewMessage("Survives a restart"));
        }

        await using var second = await TestServer.StartAsync(o => o with { StoreDirectory = _directory });

        var reloaded = second.Messages.Find(sent.Captured.Id);
        Assert.That(reloaded, Is.Not.Null, "the second server loads the first one's messages at start");
        Assert.That(second.Messages.Count, Is.EqualTo(1));
        Assert.That(reloaded!.Raw.ToArray(), Is.EqualTo(sent.Expected));
        Assert.That(reloaded.Sender.Address, Is.EqualTo("disk-sender@example.com"));
        Assert.That(reloaded.RecipientAddresses(), Is.EqualTo(new[] { "disk-one@example.org", "disk-two@example.org" }));
        Assert.That(reloaded.SenderParameters.Select(p => p.ToString()), Is.EqualTo(sent.Captured.SenderParameters.Select(p => p.ToString())));
        Assert.That(reloaded.HeloName, Is.EqualTo(MailKitSender.HeloName));
        Assert.That(reloaded.Message.Subject, Is.EqualTo("Survives a restart"));

        // And the second server keeps adding to the same directory.
        var more = await MailKitSender.SendOneAsync(second, NewMessage("After the restart"));
        Assert.That(second.Messages.Messages.Select(m => m.Id), Is.EqualTo(new[] { sent.Captured.Id, more.Captured.Id }));
        Assert.That(Path.Combine(_directory, more.Captured.Id + ".eml"), Does.Exist);
    }

    [Test]
    public async Task Leftover_temporary_file_is_removed_at_start_and_never_listed()
    {
        var leftover = Path.Combine(_directory, ".smtpmock", "tmp", "x.eml.1234.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(leftover)!);
        await File.WriteAllTextAsync(leftover, "Subject: half written\r\n\r\ncut off by a crash");

        await using var server = await TestServer.StartAsync(o => o with { StoreDirectory = _directory });

        Assert.That(leftover, Does.Not.Exist);
        Assert.That(server.Messages.Count, Is.Zero);
        var sent = await MailKitSender.SendOneAsync(server, NewMessage("After cleanup"));
        Assert.That(server.Messages.Messages.Select(m => m.Id), Is.EqualTo(new[] { sent.Captured.Id }));
        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EquivalentTo(new[] { sent.Captured.Id + ".eml", sent.Captured.Id + ".json" }));
    }

    private static MimeMessage NewMessage(string subject)
    {
        var message = MailKitSender.NewMessage(subject, "disk-sender@example.com", "disk-one@example.org", "disk-two@example.org");
        message.Body = new TextPart("plain") { Text = $"{subject}: body.\r\n.dotted line\r\n" };
        return message;
    }
}
