using BenchmarkDotNet.Running;

namespace Orchestra.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project tests/Orchestra.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    public static int Main(string[] args)
    {
        // Whole-process engine run (see Engine/EngineRunner.cs); everything else goes to BenchmarkDotNet.
        if (args is ["engine", ..])
        {
            return Engine.EngineRunner.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
