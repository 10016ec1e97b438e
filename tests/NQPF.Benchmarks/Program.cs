using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/NQPF.Benchmarks -- --filter '*'   (see README, "Benchmarks")
BenchmarkSwitcher.FromAssembly(typeof(NQPF.Benchmarks.TwfeBenchmarks).Assembly).Run(args);
