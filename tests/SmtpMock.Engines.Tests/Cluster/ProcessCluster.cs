using System.Security.Cryptography;
using Npgsql;
using SmtpMock.Engines.Tests.Haproxy;
using SmtpMock.Engines.Tests.Postgres;
using SmtpMock.Engines.Tests.PostgresStore;
using SmtpMock.Engines.Tests.Redis;

namespace SmtpMock.Engines.Tests.Cluster;

/// <summary>
/// <see cref="SmtpCluster"/>'s layout with the replicas as processes (<see cref="SmtpMockProcess"/>) for what needs
/// a process to kill or a console to read: three replicas "a", "b", "c" on a fresh database and Redis namespace,
/// HAProxy in front with send-proxy-v2 and TCP health checks (a killed replica leaves the rotation as it would in
/// docker-compose.scale.yml).
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    private readonly string _storeUri;

    private ProcessCluster(IReadOnlyList<SmtpMockProcess> replicas, HaproxyEngine haproxy, string storeUri)
    {
        Replicas = replicas;
        Haproxy = haproxy;
        _storeUri = storeUri;
    }

    public IReadOnlyList<SmtpMockProcess> Replicas { get; }

    public HaproxyEngine Haproxy { get; }

    public static async Task<ProcessCluster> StartAsync(PostgresEngine postgres, RedisEngine redis, string? scenarioYaml)
    {
        var storeUri = await Databases.CreateAsync(postgres);
        var stateUri = $"{redis.Uri}?namespace=t{RandomNumberGenerator.GetHexString(12, lowercase: true)}";
        var replicas = new List<SmtpMockProcess>();
        try
        {
            // One after the other: the first creates the schema, the others find it.
            foreach (var id in new[] { "a", "b", "c" })
            {
                replicas.Add(await SmtpMockProcess.StartAsync(id, storeUri, stateUri, scenarioYaml));
            }

            var haproxy = await HaproxyEngine.StartAsync(new HaproxyOptions
            {
                Backends = [.. replicas.Select(r => r.EndPoint)],
                SendProxyV2 = true,
                HealthCheck = HaproxyHealthCheck.Tcp,
            });
            return new ProcessCluster(replicas, haproxy, storeUri);
        }
        catch
        {
            await DisposeAllAsync(replicas);
            throw;
        }
    }

    /// <summary>How many stored messages carry each subject, read from PostgreSQL itself (no replica in between).</summary>
    public async Task<Dictionary<string, int>> StoredSubjectsAsync()
    {
        await using var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ConnectionString()) { Pooling = false }.ConnectionString);
        await using var command = source.CreateCommand("SELECT subject, count(*) FROM smtpmock_messages GROUP BY subject");
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            counts[reader.IsDBNull(0) ? "" : reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>The test's failure text: <paramref name="what"/>, then HAProxy's config and log and each replica's console.</summary>
    public string Failure(string what) =>
        string.Join(Environment.NewLine, Replicas.Select(r => r.Failure("console")).Prepend(Haproxy.Failure(what)));

    public async ValueTask DisposeAsync()
    {
        await Haproxy.DisposeAsync();
        await DisposeAllAsync(Replicas);
    }

    private static async Task DisposeAllAsync(IEnumerable<SmtpMockProcess> replicas)
    {
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }
    }

    private string ConnectionString()
    {
        var uri = new Uri(_storeUri);
        var user = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(user[0]),
            Password = Uri.UnescapeDataString(user[1]),
            Database = uri.AbsolutePath.TrimStart('/'),
        }.ConnectionString;
    }
}
