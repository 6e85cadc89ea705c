namespace Orchestra.Tosca.Tests.Corpus;

/// <summary>Finds ../shared/tosca-corpus at test time (it is not part of this repository).</summary>
internal static class CorpusLocator
{
    public static string Root { get; } = Find();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Find()
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

        throw new InvalidOperationException(
            "The TOSCA corpus was not found: set ORCHESTRA_TOSCA_CORPUS or place it at ../shared/tosca-corpus above the repository.");
    }
}
