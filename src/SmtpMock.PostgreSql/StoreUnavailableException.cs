namespace SmtpMock.PostgreSql;

/// <summary>
/// The database could not be reached or did not answer (the API maps it to 503 naming the store; at start the CLI prints
/// it as one line). The message names the store without its password.
/// </summary>
public sealed class StoreUnavailableException : Exception
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
