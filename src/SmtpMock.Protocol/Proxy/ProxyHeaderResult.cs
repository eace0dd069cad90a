using System.Net;

namespace SmtpMock.Protocol.Proxy;

/// <summary>
/// What <see cref="ProxyHeaderParser.Parse"/> made of the first bytes of a connection: wait for more, a header (its
/// length and the addresses it carries), or a reason to close. Like the rest of this library, input never throws.
/// </summary>
internal abstract record ProxyHeaderResult
{
    private ProxyHeaderResult()
    {
    }

    /// <summary>The bytes so far are a valid beginning of a header: read more and parse the whole buffer again.</summary>
    public sealed record NeedMoreData : ProxyHeaderResult
    {
        /// <summary>The one value: it carries nothing.</summary>
        public static NeedMoreData Instance { get; } = new();
    }

    /// <summary>
    /// A complete header of <paramref name="Consumed"/> octets; what follows it is the client's own data.
    /// <paramref name="Source"/> and <paramref name="Destination"/> are null when the header carries no address to use
    /// (v1 <c>UNKNOWN</c>, the v2 <c>LOCAL</c> command of health checks, or a family or transport other than TCP over
    /// IPv4 or IPv6): the spec then asks the receiver to use the connection's own endpoints.
    /// </summary>
    /// <param name="Version">1 (the text line) or 2 (binary).</param>
    /// <param name="IsLocal">The v2 <c>LOCAL</c> command: the proxy itself connected (a health check), no client is relayed.</param>
    /// <param name="Source">The original client, as the proxy saw it.</param>
    /// <param name="Destination">The address the client connected to (the proxy's frontend).</param>
    /// <param name="Tlvs">How many v2 TLVs followed the addresses (each checked to fit the header, then skipped).</param>
    /// <param name="Consumed">The header's length: skip this many octets before the client's data.</param>
    public sealed record Parsed(int Version, bool IsLocal, IPEndPoint? Source, IPEndPoint? Destination, int Tlvs, int Consumed) : ProxyHeaderResult;

    /// <summary>Not a PROXY protocol header, or a malformed one: the spec asks the receiver to close the connection.</summary>
    /// <param name="Reason">What is wrong, for one log line (the client's bytes are never echoed unprintable).</param>
    public sealed record Invalid(string Reason) : ProxyHeaderResult;
}
