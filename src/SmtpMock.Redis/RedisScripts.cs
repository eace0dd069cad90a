namespace SmtpMock.Redis;

/// <summary>
/// The Lua the state runs: each operation is one script, so it is one round trip and atomic. Data keys are named
/// <c>NS:EPOCH:c:NAME</c> (counters) and <c>NS:EPOCH:k:KEY</c> (keyed hits), EPOCH being the value of <c>NS:epoch</c>
/// read inside the same script: a reset is one INCR of the epoch, O(1) and atomic, after which no command sees an old
/// key again (they expire by their TTL). The scripts build key names from the epoch, so the state needs a standalone
/// Redis (or a primary behind Sentinel), not a Redis Cluster.
/// </summary>
internal static class RedisScripts
{
    /// <summary>KEYS[1] epoch; ARGV prefix, name, TTL in ms. Returns the new count.</summary>
    public const string Increment = """
        local k = ARGV[1] .. (redis.call('GET', KEYS[1]) or '0') .. ':c:' .. ARGV[2]
        local n = redis.call('INCR', k)
        redis.call('PEXPIRE', k, ARGV[3])
        return n
        """;

    /// <summary>
    /// KEYS[1] epoch; ARGV prefix, key, now (Unix ms), keep (ms). Returns { hits, first-seen }. Set-if-absent and the
    /// count live in one hash: HSETNX of the first-seen time decides the first hit, which alone sets the TTL (later
    /// hits never extend it), and HINCRBY counts; one key, so the time and the count can never expire apart.
    /// </summary>
    public const string Hit = """
        local k = ARGV[1] .. (redis.call('GET', KEYS[1]) or '0') .. ':k:' .. ARGV[2]
        if redis.call('HSETNX', k, 'f', ARGV[3]) == 1 then
          redis.call('PEXPIRE', k, ARGV[4])
        end
        local n = redis.call('HINCRBY', k, 'n', 1)
        return { n, redis.call('HGET', k, 'f') }
        """;

    /// <summary>
    /// KEYS[1] the scenario hash; ARGV name, yaml, has-name, has-yaml, setBy, setAt (Unix ms), channel. The version
    /// grows by one; the change is announced on the channel in the same step. Returns the version.
    /// </summary>
    public const string SetScenario = """
        local v = redis.call('HINCRBY', KEYS[1], 'version', 1)
        redis.call('HSET', KEYS[1], 'setBy', ARGV[5], 'setAt', ARGV[6])
        if ARGV[3] == '1' then redis.call('HSET', KEYS[1], 'name', ARGV[1]) else redis.call('HDEL', KEYS[1], 'name') end
        if ARGV[4] == '1' then redis.call('HSET', KEYS[1], 'yaml', ARGV[2]) else redis.call('HDEL', KEYS[1], 'yaml') end
        redis.call('PUBLISH', ARGV[7], v)
        return v
        """;
}
