using SmtpMock.Cli;

// The whole process is smtpmock's: serve may set process-wide runtime switches once its options are parsed.
return await SmtpMockCli.RunAsync(args, Console.Out, Console.Error, ownsProcess: true);
