namespace Orchestra.Tosca.Tests.Corpus;

/// <summary>Finds ../shared/tosca-corpus at test time (it is not part of this repository).</summary>
internal static class CorpusLocator
{
    private static readonly string? Found = Find();

    public static string Root => Found ?? throw new InvalidOperationException(SkipReason);

    /// <summary>Why corpus tests cannot run here; null when the corpus was found.</summary>
    public static string? SkipReason => Found is null
        ? "The TOSCA corpus was not found: set ORCHESTRA_TOSCA_CORPUS or place it at ../shared/tosca-corpus above the repository."
        : null;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("ORCHESTRA_TOSCA_CORPUS") is { Length: > 0 } fromEnv)
        {
            return fromEnv;
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
