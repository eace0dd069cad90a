namespace SmtpMock.Cli.Tests.Process;

/// <summary>A restart on a --store folder serves the messages the last run left there, and says so.</summary>
[TestFixture]
public sealed class StoreReloadTests
{
    [Test]
    public async Task Messages_in_the_store_at_start_are_loaded_and_announced()
    {
        using var store = new StoreFolder();
        await using (var first = await ServerProcess.StartAsync("--store", store.Path))
        {
            await using var client = await WireClient.ConnectAndGreetAsync(first.EndPoint);
            await client.SendMessageAsync("a@example.com", "b@example.org", "Subject: kept\r\n\r\nbody\r\n");
            first.Terminate();
            Assert.That(await first.WaitForExitAsync(ServerProcess.StartDeadline), Is.Zero);
        }

        await using var second = await ServerProcess.StartAsync("--store", store.Path);
        await second.WaitForOutputAsync($"loaded 1 message from {store.Path}", ServerProcess.StartDeadline);
        Assert.That(second.Output, Does.Not.Contain("loaded 1 messages"));
    }
}
