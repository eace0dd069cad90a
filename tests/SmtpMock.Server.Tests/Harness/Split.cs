using System.Text;

namespace SmtpMock.Server.Tests.Harness;

/// <summary>How a dialog is cut into reads.</summary>
public enum Split
{
    Whole,
    PerLine,
    PerByte,
}

internal static class Splitter
{
    public static IEnumerable<byte[]> Cut(byte[] bytes, Split split) => split switch
    {
        Split.Whole => [bytes],
        Split.PerByte => bytes.Select(b => new[] { b }),
        _ => ByLine(bytes),
    };

    private static IEnumerable<byte[]> ByLine(byte[] bytes)
    {
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                yield return bytes[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < bytes.Length)
        {
            yield return bytes[start..];
        }
    }

    public static byte[] Bytes(string dialog) => Encoding.UTF8.GetBytes(dialog);
}
