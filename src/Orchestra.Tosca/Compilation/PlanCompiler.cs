using Orchestra.Engine.Executors;
using Orchestra.Engine.Files;
using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Functions;
using Orchestra.Tosca.Topology;
using Orchestra.Tosca.Types;
using TopologyModel = Orchestra.Tosca.Topology.Topology;

namespace Orchestra.Tosca.Compilation;

/// <summary>Turns a checked topology into the engine's <see cref="DeploymentPlan"/>.</summary>
internal sealed partial class PlanCompiler(
    TopologyModel topology,
    TypeRegistry registry,
    FunctionEvaluator evaluator,
    DiagnosticBag diagnostics,
    string baseDirectory,
    FileAccessPolicy files,
    long maxPlanBytes)
{
    private const string StandardType = "tosca.interfaces.node.lifecycle.Standard";
    private const string ConfigureType = "tosca.interfaces.relationship.Configure";
    private readonly ImplementationChecker _implementations = new(diagnostics, baseDirectory, files);

    public DeploymentPlan Compile(string name)
    {
        var policies = new PolicyApplier(topology, registry, evaluator, diagnostics);
        policies.CheckConflicts();
        new UnrunOperations(topology, registry, diagnostics).Warn();
        var hostGroups = HostGroups.Of(topology);
        var nodes = new List<PlanNode>(topology.NodeTemplates.Count);
        long planBytes = 0;
        foreach (var node in topology.NodeTemplates.Values)
        {
            if (node.Type is null)
            {
                continue;
            }

            var retry = policies.RetryFor(node);
            var plan = CompileNode(node, node.Type, retry) with
            {
                FailureAction = policies.FailureActionFor(node),
                ExclusiveGroup = policies.ConcurrentOnHost(node) ? null : hostGroups.GetValueOrDefault(node.Name),
            };

            // Values are copied into every operation and attribute that uses them: bounded as the plan grows, so that a small
            // template cannot make the compiler (and then the journal) hold a huge plan; compiling stops at the node that crosses.
            var nodeBytes = PlanValidator.SizeOf(plan);
            planBytes += nodeBytes;
            if (planBytes > maxPlanBytes)
            {
                diagnostics.Error(ErrorCodes.PlanTooLarge, node.Location,
                    $"node template '{node.Name}' takes {nodeBytes} bytes in the compiled plan, which brings it to more than the limit of {maxPlanBytes} bytes (ToscaCompilerOptions.MaxPlanBytes); a value repeated in many operation inputs or properties (through aliases, get_input or get_property) is copied into each");
                return new DeploymentPlan(name, nodes, [], baseDirectory, policies.PlanFailureAction());
            }

            nodes.Add(plan);
        }

        var outputs = new List<PlanOutput>();
        foreach (var output in topology.Outputs)
        {
            if (evaluator.Evaluate(output.Value, EvaluationContext.Outputs) is { } value)
            {
                outputs.Add(new PlanOutput(output.Name, value, output.Description));
            }
        }

        var result = new DeploymentPlan(name, nodes, outputs, baseDirectory, policies.PlanFailureAction());
        CheckPlan(result);
        return result;
    }

    private PlanNode CompileNode(NodeTemplate node, ToscaType type, RetryPolicy? retry)
    {
        CheckArtifacts(node);
        var self = new EvaluationContext(node);
        var standard = Interface(registry.AllInterfaces(type), node.Interfaces, StandardType, "Standard", out var standardKey);
        // A target whose type did not resolve has its own error and no plan node: depending on it would only repeat that error.
        var relationships = node.Requirements.Where(r => r.Target is not null && r.Target != node && r.Target.Type is not null).Select(r => (Requirement: r, Interface: RelationshipInterface(r))).ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);

        PlanOperation? Op(InterfaceDefinition? definition, string key, string operation, EvaluationContext context, string? suffix = null)
        {
            if (definition is null || !definition.Operations.TryGetValue(operation, out var op) || op.Implementation?.Primary is null)
            {
                return null;
            }

            var opName = $"{key}.{operation}{(suffix is null ? string.Empty : "@" + suffix)}";
            for (var i = 2; !names.Add(opName); i++)
            {
                opName = $"{key}.{operation}@{suffix}#{i}";
            }

            var implementation = Checked(ResolvePath(node, op.Implementation.Primary, op.Implementation.File), "implementation", op.Implementation.Location);
            _implementations.Check(implementation, op.Implementation.Primary, opName, node,
                IsPath(op.Implementation.Primary) ? node.Artifacts.GetValueOrDefault(op.Implementation.Primary) : null, op.Implementation.Location);
            return new PlanOperation(
                opName,
                implementation,
                Inputs(definition, op, context, $"operation '{opName}' of node template '{node.Name}'"),
                op.Implementation.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                retry,
                Dependencies: op.Implementation.Dependencies.Count > 0
                    ? op.Implementation.Dependencies.Select(d => Checked(ResolvePath(node, d, op.Implementation.File), "dependency", op.Implementation.Location)).ToList()
                    : null,
                Description: op.Description,
                Host: AnsibleExecutor.IsPlaybook(implementation) ? HostAddress(operation.EndsWith("_target", StringComparison.Ordinal) ? context.Target ?? node : node) : null);
        }

        IEnumerable<PlanOperation?> RelationshipOps(params string[] operations) =>
            relationships.SelectMany(r => operations.Select(o => Op(r.Interface.Definition, r.Interface.Key, o,
                new EvaluationContext(node, node, r.Requirement.Target, r.Requirement), r.Requirement.Target!.Name)));

        var delete = Op(standard, standardKey, "delete", self);
        var stop = Op(standard, standardKey, "stop", self);
        var create = Op(standard, standardKey, "create", self);
        var start = Op(standard, standardKey, "start", self);
        var deploy = new List<PlanOperation?> { create is null ? null : create with { Revert = delete } };
        deploy.AddRange(RelationshipOps("pre_configure_source", "pre_configure_target"));
        deploy.Add(Op(standard, standardKey, "configure", self));
        deploy.AddRange(RelationshipOps("post_configure_source", "post_configure_target"));
        deploy.Add(start is null ? null : start with { Revert = stop });
        deploy.AddRange(RelationshipOps("add_source", "add_target"));

        var teardown = new List<PlanOperation?> { stop };
        teardown.AddRange(RelationshipOps("remove_source", "remove_target"));
        teardown.Add(delete);

        return new PlanNode(
            node.Name,
            type.Name,
            deploy.OfType<PlanOperation>().ToList(),
            teardown.OfType<PlanOperation>().ToList(),
            relationships.Select(r => r.Requirement.Target!.Name).Distinct(StringComparer.Ordinal).ToList(),
            Attributes: Attributes(node, type));
    }

    private Dictionary<string, PlanValue> Inputs(InterfaceDefinition definition, OperationDefinition operation, EvaluationContext context, string where)
    {
        var inputs = new Dictionary<string, PlanValue>(StringComparer.Ordinal);
        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var parameter in definition.Inputs.Values.Concat(operation.Inputs.Values))
        {
            // Reported here, at the input, and left out of the plan, so the engine's own check of the same rule does not repeat it.
            if (!ScriptEnvironment.IsAllowedInputName(parameter.Name, out var reason))
            {
                diagnostics.Error(ErrorCodes.UnsafeInputName, parameter.Location,
                    $"input '{parameter.Name}' of {where} cannot be passed to its script as an environment variable: {reason}");
                continue;
            }

            if (parameter.EffectiveValue is { } value && evaluator.Evaluate(value, context) is { } evaluated)
            {
                inputs[parameter.Name] = evaluated;
                locations[parameter.Name] = parameter.Location;
            }
        }

        foreach (var (variable, colliding) in ScriptEnvironment.Collisions(inputs.Keys))
        {
            diagnostics.Error(ErrorCodes.UnsafeInputName, locations[colliding[^1]], $"{where}: {ScriptEnvironment.DescribeCollision(variable, colliding)}");
            foreach (var name in colliding)
            {
                inputs.Remove(name);
            }
        }

        return inputs;
    }

    private Dictionary<string, PlanValue> Attributes(NodeTemplate node, ToscaType type)
    {
        var attributes = new Dictionary<string, PlanValue>(StringComparer.Ordinal);
        foreach (var name in registry.AllProperties(type).Keys)
        {
            if (evaluator.NodeProperty(node, name) is LiteralValue literal && literal.Value.ValueKind != System.Text.Json.JsonValueKind.Null)
            {
                attributes[name] = literal;
            }
        }

        foreach (var (name, definition) in registry.AllAttributes(type))
        {
            var value = node.Attributes?[name] ?? definition.Default;
            if (value is not null && evaluator.Evaluate(value, new EvaluationContext(node)) is LiteralValue literal)
            {
                attributes[name] = literal;
            }
        }

        // Capability properties are evaluated for their diagnostics (functions in them must resolve).
        foreach (var capability in node.Capabilities.Values)
        {
            foreach (var (_, value) in capability.Properties?.Entries ?? [])
            {
                evaluator.Evaluate(value, new EvaluationContext(node));
            }
        }

        return attributes;
    }

    /// <summary>The effective interface of a kind (Standard, Configure): the type's definition refined by the assignments.</summary>
    private InterfaceDefinition? Interface(InterfaceSet typeInterfaces, InterfaceSet? assigned, string interfaceType, string defaultKey, out string key, params InterfaceSet?[] more)
    {
        key = defaultKey;
        InterfaceDefinition? result = null;
        foreach (var (name, definition) in typeInterfaces)
        {
            if (IsOfType(definition, name, interfaceType))
            {
                key = name;
                result = definition;
                break;
            }
        }

        foreach (var set in more.Prepend(assigned))
        {
            if (set?.GetValueOrDefault(key) is { } refinement)
            {
                result = result is null ? refinement : TypeRegistry.Merge(result, refinement);
            }
        }

        // Under all of them, the interface type's own input definitions, whose defaults reach the scripts too.
        if (result is not null && registry.Find(TypeKind.Interface, result.TypeName ?? key) is { } type)
        {
            result = TypeRegistry.Merge(registry.InterfaceTypeBase(type, key), result);
        }

        return result;
    }

    private bool IsOfType(InterfaceDefinition definition, string name, string interfaceType) =>
        registry.Find(TypeKind.Interface, definition.TypeName ?? name)?.IsDerivedFrom(interfaceType) == true;

    private (InterfaceDefinition? Definition, string Key) RelationshipInterface(RequirementAssignment requirement)
    {
        if (requirement.RelationshipType is not { } type)
        {
            return (null, "Configure");
        }

        var definition = Interface(registry.AllInterfaces(type), requirement.Definition?.RelationshipInterfaces, ConfigureType, "Configure", out var key,
            requirement.RelationshipTemplate?.Interfaces, requirement.RelationshipInterfaces);
        return (definition, key);
    }

    private static bool IsPath(string implementation) =>
        !implementation.StartsWith("orchestra:", StringComparison.Ordinal) && !implementation.Contains("://", StringComparison.Ordinal);

    private string ResolvePath(NodeTemplate node, string implementation, string definingFile)
    {
        if (!IsPath(implementation))
        {
            return implementation;
        }

        var directory = Path.GetDirectoryName(definingFile) ?? baseDirectory;
        if (node.Artifacts.TryGetValue(implementation, out var artifact))
        {
            if (artifact.Repository is not null || artifact.File is null)
            {
                return artifact.File ?? implementation;
            }

            implementation = artifact.File;
            directory = Path.GetDirectoryName(artifact.DefinedIn ?? node.File) ?? baseDirectory;
        }
        else if (Parsing.RemoteImports.IsUrl(definingFile) && Uri.TryCreate(new Uri(definingFile), implementation, out var remote))
        {
            // A type from a fetched file: its scripts are beside it on the server, not here (the URL is then refused as such).
            return remote.AbsoluteUri;
        }

        if (definingFile.StartsWith("<built-in>", StringComparison.Ordinal) || Path.IsPathRooted(implementation))
        {
            return implementation;
        }

        return Path.GetRelativePath(baseDirectory, Path.GetFullPath(Path.Combine(directory, implementation))).Replace('\\', '/');
    }

    // The engine runs a recorded path relative to the plan's base directory, so that is the path judged.
    private string Checked(string recorded, string what, SourceLocation location)
    {
        if (files.IsRestricted && !recorded.StartsWith("orchestra:", StringComparison.Ordinal)
            && !files.Allows(Path.GetFullPath(Path.Combine(baseDirectory, recorded))))
        {
            diagnostics.Error(ErrorCodes.PathNotAllowed, location, $"{what} '{recorded}' leads outside {files.DescribeRoots()}; it cannot be run");
        }

        return recorded;
    }

    // Artifact files reach scripts through get_artifact even when no operation runs them.
    private void CheckArtifacts(NodeTemplate node)
    {
        if (!files.IsRestricted)
        {
            return;
        }

        foreach (var artifact in node.Artifacts.Values)
        {
            if (artifact is { File: { } file, Repository: null } && !file.Contains("://", StringComparison.Ordinal)
                && !files.Allows(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(artifact.DefinedIn ?? node.File) ?? baseDirectory, file))))
            {
                diagnostics.Error(ErrorCodes.PathNotAllowed, artifact.Location,
                    $"artifact '{artifact.Name}' of node template '{node.Name}' ('{file}') leads outside {files.DescribeRoots()}");
            }
        }
    }

    private void CheckPlan(DeploymentPlan plan)
    {
        if (PlanValidator.FindCycle(plan) is { } found)
        {
            // The engine's edges run from a node to those waiting for it; a requirement points the other way.
            var cycle = found.Reverse().ToList();
            var from = topology.NodeTemplates[cycle[0]];
            var requirement = from.Requirements.FirstOrDefault(r => r.Target?.Name == cycle[1]);
            diagnostics.Error(ErrorCodes.DependencyCycle, requirement?.NodeLocation ?? from.Location,
                $"dependency cycle: {string.Join(" -> ", cycle)}; no order can deploy these node templates (requirement '{requirement?.Name}' of '{from.Name}' closes it)");
        }

        foreach (var error in PlanValidator.Validate(plan))
        {
            if (error.Kind == PlanErrorKind.Cycle)
            {
                continue;
            }

            var location = error.Node is { } n && topology.NodeTemplates.TryGetValue(n, out var node) ? node.Location : SourceLocation.StartOf(topology.File);
            diagnostics.Error(ErrorCodes.InvalidPlan, location, $"the compiled plan cannot run: {error.Message}");
        }
    }
}
