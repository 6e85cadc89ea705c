using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Topology;
using Orchestra.Tosca.Types;
using TopologyModel = Orchestra.Tosca.Topology.Topology;

namespace Orchestra.Tosca.Compilation;

/// <summary>
/// Warns (TOS415) about implementations the plan never runs: operations of a node's interfaces other than Standard, of a
/// relationship's other than Configure, notifications, and policy triggers, so that they do not vanish without a word.
/// </summary>
internal sealed class UnrunOperations(TopologyModel topology, TypeRegistry registry, DiagnosticBag diagnostics)
{
    private const string StandardType = "tosca.interfaces.node.lifecycle.Standard";
    private const string ConfigureType = "tosca.interfaces.relationship.Configure";

    // An operation defined once in a type is reported once, however many templates use the type.
    private readonly HashSet<SourceLocation> _reported = [];

    public void Warn()
    {
        foreach (var node in topology.NodeTemplates.Values)
        {
            if (node.Type is not { } type)
            {
                continue;
            }

            var typeInterfaces = registry.AllInterfaces(type);
            Check(typeInterfaces, typeInterfaces, StandardType, $"node type '{type.Name}'");
            Check(node.Interfaces, typeInterfaces, StandardType, $"node template '{node.Name}'");
            foreach (var requirement in node.Requirements)
            {
                if (requirement.RelationshipType is not { } relationshipType)
                {
                    continue;
                }

                var relationshipInterfaces = registry.AllInterfaces(relationshipType);
                var owner = $"the relationship of requirement '{requirement.Name}' of node template '{node.Name}'";
                Check(relationshipInterfaces, relationshipInterfaces, ConfigureType, $"relationship type '{relationshipType.Name}'");
                Check(requirement.Definition?.RelationshipInterfaces, relationshipInterfaces, ConfigureType, owner);
                Check(requirement.RelationshipTemplate?.Interfaces, relationshipInterfaces, ConfigureType, $"relationship template '{requirement.RelationshipTemplate?.Name}'");
                Check(requirement.RelationshipInterfaces, relationshipInterfaces, ConfigureType, owner);
            }
        }

        foreach (var policy in topology.Policies)
        {
            foreach (var trigger in policy.Triggers)
            {
                diagnostics.Warning(ErrorCodes.OperationNotRun, trigger.Location,
                    $"trigger '{trigger.Text}' of policy '{policy.Name}' is never run: Orchestra does not act on events, so policy triggers are only read");
            }
        }
    }

    private void Check(InterfaceSet? interfaces, InterfaceSet definitions, string runs, string owner)
    {
        foreach (var (name, definition) in interfaces ?? [])
        {
            var typeName = definitions.GetValueOrDefault(name)?.TypeName ?? definition.TypeName ?? name;
            var isRun = registry.Find(TypeKind.Interface, typeName)?.IsDerivedFrom(runs) == true;
            foreach (var (operationName, operation) in definition.Operations)
            {
                if (operation.Implementation?.Primary is null || (isRun && !operation.IsNotification) || !_reported.Add(operation.Location))
                {
                    continue;
                }

                var runsName = runs == StandardType ? "the Standard interface of a node" : "the Configure interface of a relationship";
                diagnostics.Warning(ErrorCodes.OperationNotRun, operation.Location, operation.IsNotification
                    ? $"notification '{name}.{operationName}' of {owner} has an implementation, but Orchestra receives no notifications; it is never run"
                    : $"operation '{name}.{operationName}' of {owner} has an implementation, but Orchestra runs only {runsName}; it is never run");
            }
        }
    }
}
