namespace SmtpMock.PostgreSql;

/// <summary>
/// The database's schema is one this binary does not know (a newer SmtpMock migrated it): refused at start rather than
/// writing rows a newer reader would misread. The message is one line for the CLI.
/// </summary>
public sealed class StoreSchemaException : Exception
{
    public StoreSchemaException()
    {
    }

    public StoreSchemaException(string message)
        : base(message)
    {
    }

    public StoreSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
