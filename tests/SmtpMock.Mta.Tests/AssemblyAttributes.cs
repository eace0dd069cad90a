// Postfix, its postfix user and its unix sockets: these tests run on Linux only (Debian's package in CI).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Each fixture runs its own smtpmock process and its own Postfix instance (own folders, no listening socket), so
// fixtures run side by side: most of a test is Postfix waiting out a retry delay.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]
