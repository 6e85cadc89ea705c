using Orchestra.Testing;

namespace Orchestra.Tosca.Tests.Corpus;

/// <summary>Finds ../shared/tosca-corpus at test time (it is not part of this repository).</summary>
internal static class CorpusLocator
{
    public const string Variable = "ORCHESTRA_TOSCA_CORPUS";

    private static readonly Lazy<string?> Found = new(Find);

    /// <summary>The corpus folder, or <see langword="null"/> when it is absent (see <see cref="RequiresToscaCorpusAttribute"/>).</summary>
    public static string? Root => Found.Value;

    public static string PathOf(string relative) =>
        Path.Combine(Root ?? throw new InvalidOperationException(new RequiresToscaCorpusAttribute().FindUnmet()), relative);

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnv)
        {
            return Directory.Exists(fromEnv) ? fromEnv : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "tosca-corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A test needs the tosca-parser corpus (<see cref="CorpusLocator"/>).</summary>
internal sealed class RequiresToscaCorpusAttribute : RequirementAttribute
{
    public override string? FindUnmet()
    {
        if (CorpusLocator.Root is not null)
        {
            return null;
        }

        return Environment.GetEnvironmentVariable(CorpusLocator.Variable) is { Length: > 0 } fromEnv
            ? $"the TOSCA corpus is absent: {CorpusLocator.Variable} names {fromEnv}, which does not exist"
            : $"the TOSCA corpus is absent (no shared/tosca-corpus above the repository, e.g. ../shared/tosca-corpus beside the clone, and {CorpusLocator.Variable} is not set)";
    }
}
