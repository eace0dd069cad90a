namespace SmtpMock.Protocol.Framing;

/// <summary>Where a <see cref="DataReader"/> stands after a read.</summary>
internal enum DataStatus
{
    /// <summary>All input so far was taken; the end of data has not arrived.</summary>
    NeedMore,

    /// <summary><c>CRLF.CRLF</c> arrived; the buffer was advanced just past it.</summary>
    Complete,
}
