using SmtpMock.Server.Capture;

namespace SmtpMock.Tests.Shared;

/// <summary>
/// What the tests read of a server's store, synchronously: every test server keeps its mail in memory, where each
/// store operation has completed by the time it returns. A test of another store awaits the store's own methods.
/// </summary>
internal static class StoreView
{
    extension(IMessageStore store)
    {
        /// <summary>The kept messages, oldest first.</summary>
        public IReadOnlyList<CapturedMessage> Messages => Memory(store).Messages;

        public int Count => Memory(store).Count;

        public CapturedMessage? Find(string id) => Memory(store).Find(id);

        public void Clear() => Memory(store).Clear();

        public bool Remove(string id) => store.DeleteAsync(id, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    private static MemoryMessageStore Memory(IMessageStore store) =>
        store as MemoryMessageStore ?? throw new InvalidOperationException($"the test reads a memory store synchronously, not {store.Description}");
}
