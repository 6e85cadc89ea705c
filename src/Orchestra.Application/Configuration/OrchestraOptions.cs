using Orchestra.Tosca;

namespace Orchestra.Application.Configuration;

/// <summary>
/// The settings of an Orchestra node, bound from the <c>Orchestra</c> section of the configuration
/// (<c>config/orchestra.json</c>, <c>ORCHESTRA__...</c> environment variables, command-line switches).
/// </summary>
/// <remarks>The defaults here are the documented ones; <c>config/orchestra.json</c> repeats them.</remarks>
public sealed class OrchestraOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Orchestra";

    /// <summary>Where deployments are journaled.</summary>
    public StoreOptions Store { get; set; } = new();

    /// <summary>The HTTP server's settings (used by <c>orchestra serve</c>).</summary>
    public ServerOptions Server { get; set; } = new();

    /// <summary>How this process takes and keeps the leases of the deployments it drives.</summary>
    public LeaseOptions Leases { get; set; } = new();

    /// <summary>The control socket through which other processes of this machine send commands to the deployments this process drives.</summary>
    public ControlOptions Control { get; set; } = new();

    /// <summary>
    /// The TOSCA compiler's limits (<c>Orchestra:Compiler</c>): file size, YAML nodes and expanded text, nesting, imports, compiled plan
    /// size and supplied input size, each with its default documented on <see cref="ToscaCompilerOptions"/>.
    /// </summary>
    public ToscaCompilerOptions Compiler { get; set; } = new();

    /// <summary>How imports by URL and from repositories are fetched and cached (<c>Orchestra:Imports</c>).</summary>
    public ImportOptions Imports { get; set; } = new();
}
