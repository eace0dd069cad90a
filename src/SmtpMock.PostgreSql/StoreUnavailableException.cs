namespace SmtpMock.PostgreSql;

/// <summary>
/// The database could not be reached or did not answer (the API maps it to 503 naming the store; at start the CLI prints
/// it as one line). The message names the store without its password. An <see cref="IOException"/>, as the server's
/// store and archive contracts ask: a session archive that cannot save or reserve ids must not end the session or
/// the accept loop.
/// </summary>
public sealed class StoreUnavailableException : IOException
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
