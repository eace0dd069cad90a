using SmtpMock.Engines.Tests.Harness;
using StackExchange.Redis;

namespace SmtpMock.Engines.Tests.Redis;

/// <summary>The Redis harness, through the client the product will use (StackExchange.Redis 3.4.35).</summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisEngineTests
{
    private RedisEngine _engine = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _engine = await RedisEngine.StartAsync();
        await TestContext.Progress.WriteLineAsync($"redis: start {_engine.StartupTime.TotalMilliseconds:0} ms");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _engine.DisposeAsync();

    [SetUp]
    public async Task RunningAsync()
    {
        if (!_engine.IsRunning)
        {
            await _engine.StartAgainAsync(); // a test that failed half-way through an outage
        }
    }

    [Test]
    public async Task Ping_and_incr_through_stackexchange_redis()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_engine.Configuration);
        var db = redis.GetDatabase();
        var key = new RedisKey("ping-incr");

        Assert.That(await db.PingAsync(), Is.GreaterThanOrEqualTo(TimeSpan.Zero));
        Assert.That(await db.StringIncrementAsync(key), Is.EqualTo(1));
        Assert.That(await db.StringIncrementAsync(key), Is.EqualTo(2));
    }

    [Test]
    public void The_uri_and_the_client_configuration_name_the_same_port()
    {
        var uri = new Uri(_engine.Uri);

        Assert.That($"{uri.Host}:{uri.Port}", Is.EqualTo(_engine.Configuration));
        Assert.That(uri.Scheme, Is.EqualTo("redis"));
    }

    [Test]
    public async Task Killed_it_refuses_and_started_again_the_same_client_reconnects_to_an_empty_redis()
    {
        var options = ConfigurationOptions.Parse(_engine.Configuration);
        options.AbortOnConnectFail = false; // what a long-running server wants: keep trying in the background
        options.BacklogPolicy = BacklogPolicy.FailFast; // the default queues commands for 5 s while disconnected
        options.ReconnectRetryPolicy = new LinearRetry(100);
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(200); // reconnects are tried on the heartbeat
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var db = redis.GetDatabase();
        var key = new RedisKey("counter");
        Assert.That(await db.StringIncrementAsync(key, 41), Is.EqualTo(41));

        await _engine.KillAsync();

        Assert.That(async () => await db.StringIncrementAsync(key), Throws.InstanceOf<RedisException>(), "a command while it is down fails");

        await _engine.StartAgainAsync();
        await TestContext.Progress.WriteLineAsync($"redis: start again after SIGKILL {_engine.StartupTime.TotalMilliseconds:0} ms");

        await Poll.UntilAsync(() => redis.IsConnected, Engine.StartDeadline, "the multiplexer reconnected by itself");
        Assert.That(await db.StringIncrementAsync(key), Is.EqualTo(1), "no persistence: the counter started over");
    }

    [Test]
    public async Task A_stop_is_clean_and_the_start_again_listens_on_the_same_port()
    {
        var port = _engine.Port;

        await _engine.StopAsync();
        Assert.That(_engine.IsRunning, Is.False);

        await _engine.StartAgainAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_engine.Configuration);
        Assert.That(((System.Net.IPEndPoint)redis.GetEndPoints().Single()).Port, Is.EqualTo(port));
        Assert.That(await redis.GetDatabase().PingAsync(), Is.GreaterThanOrEqualTo(TimeSpan.Zero));
    }
}
