using System.Buffers.Binary;
using System.IO.Hashing;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// A seeded draw as a pure function of (seed, rule, n): the same on every run and on every instance, where a shared
/// <see cref="Random"/> would hand each instance its own sequence.
/// </summary>
internal static class SeededDraw
{
    /// <summary>A number in [0, 1) for the <paramref name="n"/>th draw of rule <paramref name="rule"/>.</summary>
    public static double Uniform(int seed, int rule, long n)
    {
        Span<byte> input = stackalloc byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(input, seed);
        BinaryPrimitives.WriteInt32LittleEndian(input[4..], rule);
        BinaryPrimitives.WriteInt64LittleEndian(input[8..], n);
        var hash = XxHash64.HashToUInt64(input);
        // The top 53 bits, as Random.NextDouble makes a double: uniform, never 1.
        return (hash >> 11) * (1.0 / (1UL << 53));
    }
}
