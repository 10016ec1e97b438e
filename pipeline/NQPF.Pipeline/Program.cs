using NQPF.Pipeline.Cli;

Environment.ExitCode = await CommandCatalog.RunAsync(args);
return Environment.ExitCode;
