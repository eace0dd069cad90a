using Microsoft.Extensions.Logging.Abstractions;
using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Tests.Capture;

/// <summary>The store contract against the in-memory store (the default).</summary>
public sealed class MemoryStoreContractTests : MessageStoreContract
{
    protected override Task<IMessageStore> CreateAsync() => Task.FromResult<IMessageStore>(new MemoryMessageStore());
}

/// <summary>The store contract against the folder store (<c>--store DIR</c>), and what only a folder does: survive a restart.</summary>
public sealed class FolderStoreContractTests : MessageStoreContract
{
    private readonly List<string> _folders = [];

    [OneTimeTearDown]
    public void RemoveFolders()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    protected override Task<IMessageStore> CreateAsync() => Task.FromResult<IMessageStore>(Open(NewFolder()));

    [Test]
    public async Task Read_state_and_tags_survive_a_restart_and_a_deleted_message_leaves_no_file()
    {
        var folder = NewFolder();
        var store = Open(folder);
        await SaveAsync(store, "m1", "a@example.test", ["b+signup@example.test"], Mail("one", "x\r\n"), DateTimeOffset.UtcNow);
        await SaveAsync(store, "m2", "a@example.test", ["b@example.test"], Mail("two", "x\r\n"), DateTimeOffset.UtcNow.AddSeconds(1));
        await store.SetReadAsync(["m1"], read: true, CancellationToken.None);
        await store.SetTagsAsync(["m1"], ["kept", "signup"], CancellationToken.None);
        Assert.That(await store.DeleteAsync("m2", CancellationToken.None), Is.True);
        Assert.That(Directory.GetFiles(folder, "m2.*"), Is.Empty);

        var reopened = Open(folder);
        var m1 = await reopened.GetAsync("m1", CancellationToken.None);
        Assert.That(m1!.Read, Is.True);
        Assert.That(m1.Tags, Is.EqualTo(new[] { "kept", "signup" }));
        Assert.That(await reopened.GetAsync("m2", CancellationToken.None), Is.Null);
        Assert.That(reopened.Description, Is.EqualTo($"folder {Path.GetFullPath(folder)}"));
    }

    private static MemoryMessageStore Open(string folder) => MemoryMessageStore.Open(folder, 100, 1 << 30, NullLogger.Instance);

    private string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"smtpmock-store-{Guid.NewGuid():N}");
        _folders.Add(folder);
        return folder;
    }
}
