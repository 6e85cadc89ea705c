namespace Orchestra.Tosca.Tests;

/// <summary>Writes templates to a temporary directory for one test.</summary>
internal sealed class TemplateFiles : IDisposable
{
    public TemplateFiles() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "orchestra-tosca-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, string content)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    public CompilationResult Compile(string content, IReadOnlyDictionary<string, object?>? inputs = null, ToscaCompilerOptions? options = null) =>
        ToscaCompiler.Compile(Write("main.yaml", content), inputs, options);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
