using SmtpMock.Engines.Tests.Postgres;
using SmtpMock.Engines.Tests.Redis;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>
/// One PostgreSQL and one Redis for the fixture (started again before a test if an earlier one left them down); each
/// test starts its own <see cref="SmtpCluster"/> on a fresh database and namespace, so no test sees another's mail
/// or counters.
/// </summary>
internal abstract class ClusterFixture
{
    private PostgresEngine? _postgres;
    private RedisEngine? _redis;

    protected PostgresEngine Postgres => _postgres ?? throw new InvalidOperationException("PostgreSQL did not start (see OneTimeSetUp)");

    protected RedisEngine Redis => _redis ?? throw new InvalidOperationException("Redis did not start (see OneTimeSetUp)");

    [OneTimeSetUp]
    public async Task StartEnginesAsync()
    {
        _postgres = await PostgresEngine.StartAsync();
        _redis = await RedisEngine.StartAsync();
    }

    [OneTimeTearDown]
    public async Task DisposeEnginesAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    [SetUp]
    public async Task EnsureRunningAsync()
    {
        if (!Postgres.IsRunning)
        {
            await Postgres.StartAgainAsync(); // a test that failed half-way through an outage
        }

        if (!Redis.IsRunning)
        {
            await Redis.StartAgainAsync();
        }
    }

    protected Task<SmtpCluster> StartClusterAsync() => SmtpCluster.StartAsync(Postgres, Redis);
}
