using System.Net;
using System.Net.Sockets;

namespace SmtpMock.Engines.Tests.Harness;

/// <summary>
/// A loopback port nothing listens on right now: bind port 0 on 127.0.0.1, read what the OS chose, release it.
/// Engines take a port on their command line (no "port 0, tell me" mode), so this is the closest to port 0 they get.
/// </summary>
internal static class FreePort
{
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary><paramref name="count"/> distinct free ports (each one held until all are chosen, so none repeats).</summary>
    public static int[] Next(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
