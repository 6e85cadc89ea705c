using System.Text;
using Orchestra.Engine.Plans;
using Orchestra.Tosca;
using Orchestra.Tosca.Diagnostics;

namespace Orchestra.Application.Templates;

/// <summary>Compiles TOSCA templates (files or text) to plans, with every diagnostic located.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
public sealed class TemplateCompiler
{
    private readonly ToscaCompilerOptions _options;

    /// <summary>Creates a compiler.</summary>
    /// <param name="options">Compiler limits; <see langword="null"/> for the defaults.</param>
    public TemplateCompiler(ToscaCompilerOptions? options = null) => _options = options ?? ToscaCompilerOptions.Default;

    /// <summary>Compiles <paramref name="source"/> with <paramref name="inputs"/>.</summary>
    /// <param name="source">The template.</param>
    /// <param name="inputs">Input values as text, converted by the compiler to the declared types.</param>
    /// <returns>The plan (when there is no error) and every diagnostic.</returns>
    public TemplateCompilation Compile(TemplateSource source, IReadOnlyDictionary<string, string> inputs)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(inputs);
        var values = inputs.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
        CompilationResult result;
        if (source.Text is null)
        {
            result = ToscaCompiler.Compile(source.Path, values, _options);
        }
        else
        {
            // Inline text stands for a file in its base directory, so relative scripts and imports resolve there.
            var path = Path.Combine(source.BaseDirectory, Path.GetFileName(source.Path));
            result = ToscaCompiler.CompileContent(Encoding.UTF8.GetBytes(source.Text), path, values, _options);
        }

        return new TemplateCompilation(result.Plan, result.Diagnostics, result.Template);
    }
}

/// <summary>The result of compiling a template.</summary>
/// <param name="Plan">The plan, or <see langword="null"/> when there are errors.</param>
/// <param name="Diagnostics">Every diagnostic, errors first.</param>
/// <param name="Template">What the template declares (inputs, nodes, outputs), when it could be read.</param>
public sealed record TemplateCompilation(DeploymentPlan? Plan, IReadOnlyList<Diagnostic> Diagnostics, ServiceTemplate? Template);
