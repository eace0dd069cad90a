using System.Security.Cryptography;
using SmtpMock.Engines.Tests.Haproxy;
using SmtpMock.Engines.Tests.Harness;
using SmtpMock.Engines.Tests.Postgres;
using SmtpMock.Engines.Tests.PostgresStore;
using SmtpMock.Engines.Tests.Redis;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>
/// Issue #21's deployment, natively: three instances "a", "b" and "c" on one fresh PostgreSQL database and one fresh
/// Redis namespace, HAProxy in front of their SMTP ports with send-proxy-v2 (docker-compose.scale.yml's shape).
/// </summary>
internal sealed class SmtpCluster : IAsyncDisposable
{
    private SmtpCluster(IReadOnlyList<ClusterInstance> instances, HaproxyEngine haproxy)
    {
        Instances = instances;
        Haproxy = haproxy;
    }

    public IReadOnlyList<ClusterInstance> Instances { get; }

    public HaproxyEngine Haproxy { get; }

    public ClusterInstance A => Instances[0];

    public ClusterInstance B => Instances[1];

    public ClusterInstance C => Instances[2];

    public static async Task<SmtpCluster> StartAsync(PostgresEngine postgres, RedisEngine redis)
    {
        using var timeout = new CancellationTokenSource(Engine.StartDeadline);
        var storeUri = await Databases.CreateAsync(postgres);
        var stateUri = $"{redis.Uri}?namespace=t{RandomNumberGenerator.GetHexString(12, lowercase: true)}";
        var instances = new List<ClusterInstance>();
        try
        {
            foreach (var id in new[] { "a", "b", "c" })
            {
                instances.Add(await ClusterInstance.StartAsync(id, storeUri, stateUri, timeout.Token));
            }

            var haproxy = await HaproxyEngine.StartAsync(new HaproxyOptions { Backends = [.. instances.Select(i => i.Server.EndPoint)], SendProxyV2 = true });
            return new SmtpCluster(instances, haproxy);
        }
        catch
        {
            await DisposeAllAsync(instances);
            throw;
        }
    }

    /// <summary>The test's failure text with HAProxy's configuration and log.</summary>
    public string Failure(string what) => Haproxy.Failure(what);

    public async ValueTask DisposeAsync()
    {
        await Haproxy.DisposeAsync();
        await DisposeAllAsync(Instances);
    }

    private static async Task DisposeAllAsync(IEnumerable<ClusterInstance> instances)
    {
        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }
    }
}
