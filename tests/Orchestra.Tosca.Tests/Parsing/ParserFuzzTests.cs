using System.Diagnostics;
using System.Text;
using Orchestra.Testing;
using Orchestra.Tosca.Tests.Corpus;
using Xunit.Abstractions;

namespace Orchestra.Tosca.Tests.Parsing;

/// <summary>
/// Damaged templates (truncated, bytes flipped, brackets, braces, quotes, colons, tabs and indentation broken) must compile
/// or fail with located errors: never an exception, never a slow case.
/// </summary>
/// <remarks>
/// Seeded: a failure names the case's seed, its source file and its mutations, and <see cref="Mutate"/> with that seed
/// rebuilds the same bytes. The case counts (2,500 and 5,000) keep the two tests together near 30 s on a loaded 2-core machine.
/// </remarks>
[Trait("Category", "Unit")]
public sealed class ParserFuzzTests
{
    private const int Seed = 20261201;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);
    // The first eight are also what a removal takes out.
    private static readonly string[] Damage =
    [
        "[", "]", "{", "}", "\"", "'", ":", ",", "\t", "\n", "\r", " ", "- ", "# ", "&a ", "*a", "!", "!!str ", "!<x> ", "|", ">-",
        "? ", "%YAML 1.1\n", "%TAG ! x\n", "---\n", "...\n", "<<: ", "\\x", "\\u12", "@", "`", "\u00a0", "\u2028",
    ];

    private readonly ITestOutputHelper _output;

    public ParserFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void DamagedSamples_CompileOrFailLocated_NeverThrow_WithinASecondEach() =>
        Run(Directory.GetFiles(SamplesDirectory(), "*.yaml", SearchOption.AllDirectories), cases: 2500, Seed);

    [ConditionalFact]
    [RequiresToscaCorpus]
    public void DamagedCorpusTemplates_CompileOrFailLocated_NeverThrow_WithinASecondEach() =>
        Run(Directory.GetFiles(Path.Combine(CorpusLocator.Root!, "data"), "*.yaml", SearchOption.AllDirectories), cases: 5000, Seed + 1);

    /// <summary>The mutated bytes of case <paramref name="caseSeed"/>, and what was done to them.</summary>
    internal static (byte[] Bytes, string Mutations) Mutate(byte[] source, int caseSeed)
    {
        var random = new Random(caseSeed);
        var bytes = new List<byte>(source);
        var done = new List<string>();
        var count = 1 + random.Next(3);
        for (var i = 0; i < count && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    done.Add($"truncate at {at}");
                    break;
                case 1:
                    var bit = (byte)(1 << random.Next(8));
                    bytes[at] ^= bit;
                    done.Add($"flip bit {bit:x2} at {at}");
                    break;
                case 2:
                    var text = Damage[random.Next(Damage.Length)];
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(text));
                    done.Add($"insert {Show(text)} at {at}");
                    break;
                case 3:
                    var target = (byte)Damage[random.Next(8)][0];
                    var found = bytes.IndexOf(target, at);
                    if (found >= 0)
                    {
                        bytes.RemoveAt(found);
                        done.Add($"remove {Show(((char)target).ToString())} at {found}");
                    }

                    break;
                case 4:
                    var lineStart = bytes.LastIndexOf((byte)'\n', at) + 1;
                    var indent = random.Next(2) == 0 ? "\t" : new string(' ', 1 + random.Next(4));
                    bytes.InsertRange(lineStart, Encoding.UTF8.GetBytes(indent));
                    done.Add($"indent line at {lineStart} by {Show(indent)}");
                    break;
                case 5:
                    var start = bytes.LastIndexOf((byte)'\n', at) + 1;
                    var spaces = 0;
                    while (start + spaces < bytes.Count && spaces < 1 + random.Next(4) && bytes[start + spaces] == (byte)' ')
                    {
                        spaces++;
                    }

                    bytes.RemoveRange(start, spaces);
                    done.Add($"dedent line at {start} by {spaces}");
                    break;
                default:
                    var end = bytes.IndexOf((byte)'\n', at);
                    var line = bytes.GetRange(at, (end < 0 ? bytes.Count : end + 1) - at);
                    bytes.InsertRange(random.Next(bytes.Count), line);
                    done.Add($"copy {line.Count} bytes from {at}");
                    break;
            }
        }

        return (bytes.ToArray(), string.Join(", ", done));
    }

    private void Run(string[] files, int cases, int seed)
    {
        Array.Sort(files, StringComparer.Ordinal);
        Assert.NotEmpty(files);
        var sources = files.Select(f => (Path: f, Bytes: File.ReadAllBytes(f))).ToArray();
        ToscaCompiler.CompileContent(sources[0].Bytes, sources[0].Path);
        var random = new Random(seed);
        var failures = new List<string>();
        var worst = (Time: TimeSpan.Zero, Case: string.Empty);
        for (var i = 0; i < cases; i++)
        {
            var caseSeed = random.Next();
            var (path, source) = sources[random.Next(sources.Length)];
            var (bytes, mutations) = Mutate(source, caseSeed);
            var what = $"case {i} (seed {caseSeed}): {path} with {mutations}";
            var watch = Stopwatch.StartNew();
            try
            {
                var result = ToscaCompiler.CompileContent(bytes, path);
                watch.Stop();
                var unlocated = result.Errors.Where(e => string.IsNullOrEmpty(e.Location.File) || e.Location.Line <= 0 || e.Location.Column <= 0).ToList();
                if (result.Success != (result.Plan is not null) || result.Success == result.Errors.Any() || unlocated.Count > 0)
                {
                    failures.Add($"{what}: success {result.Success}, unlocated: {string.Join("; ", unlocated)}");
                }
            }
#pragma warning disable CA1031 // Any exception is the failure this test looks for.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"{what}: {e}");
            }

            if (watch.Elapsed > worst.Time)
            {
                worst = (watch.Elapsed, what);
            }
        }

        _output.WriteLine($"seed {seed}, {cases} cases from {sources.Length} files, {failures.Count} failed; slowest {worst.Time.TotalMilliseconds:F0} ms: {worst.Case}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed; the first:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(5))}");
        Assert.True(worst.Time < Budget, $"the slowest case took {worst.Time.TotalMilliseconds:F0} ms: {worst.Case}");
    }

    private static string Show(string text) => text switch { "\n" => "\\n", "\t" => "\\t", " " => "' '", _ => text };

    private static string SamplesDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "config", "templates");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("config/templates was not found above " + AppContext.BaseDirectory);
    }
}
