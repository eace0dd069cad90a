using SmtpMock.Engines.Tests.Harness;
using StackExchange.Redis;

namespace SmtpMock.Engines.Tests.Redis;

/// <summary>The Redis harness, through the client the product will use (StackExchange.Redis 3.4.35).</summary>
[TestFixture]
internal sealed class RedisEngineTests : EngineFixture<RedisEngine>
{
    protected override Task<RedisEngine> StartAsync() => RedisEngine.StartAsync();

    [Test]
    public async Task Ping_and_incr_through_stackexchange_redis()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Engine.Configuration);
        var db = redis.GetDatabase();
        var key = new RedisKey("ping-incr");

        Assert.That(await db.PingAsync(), Is.GreaterThanOrEqualTo(TimeSpan.Zero));
        Assert.That(await db.StringIncrementAsync(key), Is.EqualTo(1));
        Assert.That(await db.StringIncrementAsync(key), Is.EqualTo(2));
    }

    [Test]
    public void The_uri_and_the_client_configuration_name_the_same_port()
    {
        var uri = new Uri(Engine.Uri);

        Assert.That($"{uri.Host}:{uri.Port}", Is.EqualTo(Engine.Configuration));
        Assert.That(uri.Scheme, Is.EqualTo("redis"));
    }

    [Test]
    public async Task Killed_it_refuses_and_started_again_the_same_client_reconnects_to_an_empty_redis()
    {
        var options = ConfigurationOptions.Parse(Engine.Configuration);
        options.AbortOnConnectFail = false; // what a long-running server wants: keep trying in the background
        options.BacklogPolicy = BacklogPolicy.FailFast; // the default queues commands for 5 s while disconnected
        options.ReconnectRetryPolicy = new LinearRetry(100);
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(200); // reconnects are tried on the heartbeat
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var db = redis.GetDatabase();
        var key = new RedisKey("counter");
        Assert.That(await db.StringIncrementAsync(key, 41), Is.EqualTo(41));

        await Engine.KillAsync();

        Assert.That(async () => await db.StringIncrementAsync(key), Throws.InstanceOf<RedisException>(), "a command while it is down fails");

        await Engine.StartAgainAsync();
        await ReportStartAsync("start again after SIGKILL");

        await Poll.UntilAsync(() => redis.IsConnected, Harness.Engine.StartDeadline, "the multiplexer reconnected by itself");
        Assert.That(await db.StringIncrementAsync(key), Is.EqualTo(1), "no persistence: the counter started over");
    }

    [Test]
    public async Task A_stop_is_clean_and_the_start_again_listens_on_the_same_port()
    {
        var port = Engine.Port;

        await Engine.StopAsync();
        Assert.That(Engine.IsRunning, Is.False);

        await Engine.StartAgainAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Engine.Configuration);
        Assert.That(((System.Net.IPEndPoint)redis.GetEndPoints().Single()).Port, Is.EqualTo(port));
        Assert.That(await redis.GetDatabase().PingAsync(), Is.GreaterThanOrEqualTo(TimeSpan.Zero));
    }
}
