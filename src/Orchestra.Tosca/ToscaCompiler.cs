using Orchestra.Tosca.Compilation;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Functions;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Topology;
using Orchestra.Tosca.Types;
using Orchestra.Tosca.Validation;

namespace Orchestra.Tosca;

/// <summary>
/// Compiles a TOSCA Simple Profile in YAML (1.0 to 1.3) service template into the engine's deployment plan, with
/// every problem reported at once as a located diagnostic.
/// </summary>
/// <remarks>
/// <para>Stateless and thread-safe: every call works on its own data (the embedded type definitions are parsed once).</para>
/// <para>
/// Input values may be strings (from a command line: converted to the declared type, e.g. <c>"8080"</c> to an
/// integer, <c>"[1,2]"</c> to a list), <see cref="System.Text.Json.JsonElement"/>s (from a JSON inputs file or an
/// HTTP body), or plain CLR values (numbers, booleans, lists, dictionaries).
/// </para>
/// <example>
/// <code>
/// var result = ToscaCompiler.Compile("app.yaml", new Dictionary&lt;string, object?&gt; { ["port"] = "8080" });
/// foreach (var d in result.Diagnostics) Console.Error.WriteLine(d);   // file:line:col: error TOS301: ...
/// if (result.Success) Run(result.Plan!);
/// </code>
/// </example>
/// </remarks>
public static class ToscaCompiler
{
    /// <summary>Parses, type-checks, resolves and compiles the service template in <paramref name="path"/>.</summary>
    /// <param name="path">The main template file; imports are resolved relative to it. Diagnostics name files relative to it as given.</param>
    /// <param name="inputs">Values for the template's inputs, by name; <see langword="null"/> for none.</param>
    /// <param name="options">Limits and switches; <see langword="null"/> for <see cref="ToscaCompilerOptions.Default"/>.</param>
    /// <returns>The plan (when there is no error) and every diagnostic. Never throws for a bad template.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    public static CompilationResult Compile(string path, IReadOnlyDictionary<string, object?>? inputs = null, ToscaCompilerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Run(path, null, inputs, options ?? ToscaCompilerOptions.Default);
    }

    /// <summary>Compiles a template whose text is already in memory (an HTTP upload), as if it were the file <paramref name="path"/>.</summary>
    /// <param name="content">The template's bytes (UTF-8, a byte-order mark allowed).</param>
    /// <param name="path">The path it stands for: imports resolve relative to its directory, and diagnostics name it.</param>
    /// <param name="inputs">Values for the template's inputs, by name.</param>
    /// <param name="options">Limits and switches.</param>
    /// <returns>The plan (when there is no error) and every diagnostic.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    public static CompilationResult CompileContent(byte[] content, string path, IReadOnlyDictionary<string, object?>? inputs = null, ToscaCompilerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Run(path, content, inputs, options ?? ToscaCompilerOptions.Default);
    }

    /// <summary>
    /// Answers "will this template deploy?": the same as <see cref="Compile"/>, since only compiling the plan finds
    /// everything that would stop a deployment (cycles, unsatisfiable requirements).
    /// </summary>
    /// <param name="path">The main template file.</param>
    /// <param name="inputs">Values for the template's inputs, by name.</param>
    /// <param name="options">Limits and switches.</param>
    /// <returns>The compilation result; <see cref="CompilationResult.Success"/> is the answer.</returns>
    public static CompilationResult Validate(string path, IReadOnlyDictionary<string, object?>? inputs = null, ToscaCompilerOptions? options = null) =>
        Compile(path, inputs, options);

    private static CompilationResult Run(string path, byte[]? content, IReadOnlyDictionary<string, object?>? inputs, ToscaCompilerOptions options)
    {
        var diagnostics = new DiagnosticBag();
        var registry = new TypeRegistry();
        var definitions = new DefinitionReader(diagnostics);
        var loader = new ServiceLoader(options, diagnostics, registry, new TypeReader(registry, definitions));
        loader.LoadBuiltInTypes();
        var fullPath = Path.GetFullPath(path);
        var root = loader.LoadMain(fullPath, path, content);
        if (root is null)
        {
            return new CompilationResult(null, Sorted(diagnostics), null);
        }

        registry.Link(diagnostics);
        var topology = new TopologyReader(definitions, fullPath).Read(root);
        var inputValues = InputBinder.Bind(topology, inputs, registry, options, diagnostics);
        YNode? ResolveInput(FunctionCall call) =>
            call.Arguments.Count == 1 && call.Arguments[0] is YScalar s ? inputValues.GetValueOrDefault(s.Text) : null;
        var values = new ValueValidator(registry, diagnostics, ResolveInput);
        new DefinitionChecker(registry, values, diagnostics).Check();
        var checker = new TemplateChecker(topology, registry, values, diagnostics);
        checker.Check();
        registry.InheritArtifacts(topology);
        new RequirementResolver(topology, registry, diagnostics, options, ResolveInput).ResolveAll();
        new StructureChecker(topology, registry, diagnostics).Check();
        var evaluator = new FunctionEvaluator(topology, registry, inputValues, diagnostics);
        var name = topology.Name ?? Path.GetFileNameWithoutExtension(path);
        var plan = new PlanCompiler(topology, registry, evaluator, diagnostics, Path.GetDirectoryName(fullPath) ?? Directory.GetCurrentDirectory(), options.FileAccess, options.MaxPlanBytes).Compile(name);
        var template = Summary(path, name, topology, registry);
        return new CompilationResult(diagnostics.HasErrors ? null : plan, Sorted(diagnostics), template);
    }

    private static ServiceTemplate Summary(string path, string name, Topology.Topology topology, TypeRegistry registry)
    {
        var inputs = topology.Inputs.Values.Select(d =>
        {
            var defaultValue = d.Default is null ? null : new FunctionEvaluator(topology, registry, new Dictionary<string, YNode?>(), new DiagnosticBag())
                .Evaluate(d.Default, new EvaluationContext(null)) as Engine.Plans.LiteralValue;
            var constraints = d.Schema.Constraints.Select(c => c.ToString()).ToList();
            return new InputDefinition(d.Name, d.Type, d.Description, defaultValue?.Value, d.Required && d.Default is null && d.Value is null, constraints, d.Location);
        }).ToList();
        return new ServiceTemplate(
            path,
            name,
            topology.Version,
            topology.Description,
            inputs,
            topology.NodeTemplates.Values.Select(n => new KeyValuePair<string, string?>(n.Name, n.Type?.Name ?? n.TypeName)).ToList(),
            topology.Outputs.Select(o => o.Name).ToList());
    }

    private static List<Diagnostic> Sorted(DiagnosticBag diagnostics) =>
        diagnostics.Items
            .OrderBy(d => d.IsError ? 0 : 1)
            .ThenBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
}
