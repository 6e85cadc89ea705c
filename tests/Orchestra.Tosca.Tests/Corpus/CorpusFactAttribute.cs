namespace Orchestra.Tosca.Tests.Corpus;

/// <summary>A fact over the tosca-parser corpus: skipped, with the reason, where the corpus is not present.</summary>
internal sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute() => Skip = CorpusLocator.SkipReason;
}
