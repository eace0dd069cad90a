using System.Collections.Concurrent;
using System.Net;

namespace SmtpMock.Server.Hosting;

/// <summary>
/// Open connections per client address, so one client cannot take every slot (<see cref="SmtpServerOptions.MaxConnectionsPerAddress"/>).
/// An address is forgotten when its last connection ends: the table holds only addresses with open connections.
/// </summary>
internal sealed class AddressCounter(int limit)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>Counts one more connection from <paramref name="address"/>; false (and nothing counted) past the limit.</summary>
    public bool TryEnter(IPAddress address)
    {
        while (true)
        {
            if (!_open.TryGetValue(address, out var count))
            {
                if (_open.TryAdd(address, 1))
                {
                    return true;
                }

                continue;
            }

            if (count >= limit)
            {
                return false;
            }

            if (_open.TryUpdate(address, count + 1, count))
            {
                return true;
            }
        }
    }

    public void Leave(IPAddress address)
    {
        while (_open.TryGetValue(address, out var count))
        {
            if (count <= 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(address, count)) : _open.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }
}
