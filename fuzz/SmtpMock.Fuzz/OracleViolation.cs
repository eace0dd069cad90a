namespace SmtpMock.Fuzz;

/// <summary>Thrown when the server broke a rule; the fuzzer records the input as a crash.</summary>
public sealed class OracleViolation : Exception
{
    public OracleViolation(string message)
        : base(message)
    {
    }

    public OracleViolation()
    {
    }

    public OracleViolation(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
