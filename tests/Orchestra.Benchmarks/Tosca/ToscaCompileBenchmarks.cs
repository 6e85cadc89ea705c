using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Orchestra.Tosca;
using YamlDotNet.RepresentationModel;

namespace Orchestra.Benchmarks.Tosca;

/// <summary>
/// Parse + validate + compile of a generated 10,000-node template, against the floor of merely loading the same
/// YAML with YamlDotNet's representation model.
/// </summary>
/// <remarks>
/// The setup also measures one cold compile in the fresh benchmark process and prints
/// <c>// ToscaColdCompile</c> with its time and the process's peak working set.
/// </remarks>
[MemoryDiagnoser]
public class ToscaCompileBenchmarks
{
    private string _path = string.Empty;

    /// <summary>The number of node templates.</summary>
    [Params(10_000)]
    public int Nodes { get; set; }

    /// <summary>Writes the template and measures one cold compile.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"orchestra-tosca-bench-{Nodes}.yaml");
        ToscaTemplateGenerator.Write(_path, Nodes);
        var before = Process.GetCurrentProcess().PeakWorkingSet64;
        var watch = Stopwatch.StartNew();
        var result = ToscaCompiler.Compile(_path);
        watch.Stop();
        if (!result.Success || result.Plan!.Nodes.Count != Nodes)
        {
            throw new InvalidOperationException("The generated template does not compile: " + string.Join("\n", result.Diagnostics.Take(5)));
        }

        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"// ToscaColdCompile: {watch.ElapsedMilliseconds} ms, peak working set {process.PeakWorkingSet64 / (1024 * 1024)} MB (before: {before / (1024 * 1024)} MB), file {new FileInfo(_path).Length / 1024} KB");
    }

    /// <summary>Deletes the template.</summary>
    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    /// <summary>The floor: YAML to a node tree, nothing else.</summary>
    [Benchmark(Baseline = true)]
    public int LoadYamlOnly()
    {
        using var reader = new StreamReader(_path);
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Count;
    }

    /// <summary>Parse, type-check, resolve and compile to a deployment plan.</summary>
    [Benchmark]
    public int ParseValidateCompile() => ToscaCompiler.Compile(_path).Plan!.Nodes.Count;
}
