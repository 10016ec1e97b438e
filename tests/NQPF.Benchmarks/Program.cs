using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/NQPF.Benchmarks -- --filter '*'   (see README, "Benchmarks")
// dotnet run -c Release --project tests/NQPF.Benchmarks -- quick 20000    one timed pass of each staggered estimator
if (args is ["largefiles", var directory]) System.Console.WriteLine(NQPF.Benchmarks.LargePanelFiles.Write(directory));
else if (args is ["readprobe", var dataDirectory, ..]) NQPF.Benchmarks.ReadProbe.Run(dataDirectory, args[2..]);
else if (args is ["sensitivity"]) NQPF.Benchmarks.SensitivityBenchmarks.Quick();
else if (args is ["probe", var pu]) NQPF.Benchmarks.Probe.Run(int.Parse(pu, System.Globalization.CultureInfo.InvariantCulture));
else if (args is ["probe", var pu2, var step, var passes])
    NQPF.Benchmarks.Probe.Run(int.Parse(pu2, System.Globalization.CultureInfo.InvariantCulture), step, int.Parse(passes, System.Globalization.CultureInfo.InvariantCulture));
else if (args is ["quick", var units, ..])
    NQPF.Benchmarks.QuickTimings.Run(int.Parse(units, System.Globalization.CultureInfo.InvariantCulture), args.Skip(2).ToArray());
else
    BenchmarkSwitcher.FromAssembly(typeof(NQPF.Benchmarks.TwfeBenchmarks).Assembly).Run(args);
