using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(PresenceFunctions.Benchmarks.RebalancePlannerBenchmarks).Assembly).Run(args);
