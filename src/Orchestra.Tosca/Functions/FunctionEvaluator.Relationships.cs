using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Topology;
using Orchestra.Tosca.Types;

namespace Orchestra.Tosca.Functions;

/// <summary>
/// Relationships as entities of get_property and get_attribute (TOSCA 1.3 4.4): SELF in a relationship's operations, and the
/// name of a relationship template.
/// </summary>
internal sealed partial class FunctionEvaluator
{
    // A name that is not a keyword or a node template but a relationship template.
    private RelationshipTemplate? RelationshipTemplateNamed(YNode argument) =>
        ArgText(argument) is { } name && name is not ("SELF" or "SOURCE" or "TARGET" or "HOST")
            && !topology.NodeTemplates.ContainsKey(name) && topology.RelationshipTemplates.TryGetValue(name, out var template)
            ? template
            : null;

    // Relationship templates exist only in the plan's operations, not as nodes: their values are those known when compiling.
    private PlanValue? RelationshipTemplateValue(FunctionCall call, RelationshipTemplate template, List<string> names, bool attribute)
    {
        var type = template.Type ?? (template.TypeName is null ? null : registry.Find(TypeKind.Relationship, template.TypeName));
        if (type is null)
        {
            return null;
        }

        YNode? value;
        if (registry.AllProperties(type).TryGetValue(names[0], out var property))
        {
            value = template.Properties?[names[0]] ?? property.Default;
        }
        else if (attribute && registry.AllAttributes(type).TryGetValue(names[0], out var definition))
        {
            value = template.Attributes?[names[0]] ?? definition.Default;
        }
        else
        {
            var known = attribute ? registry.AllAttributes(type).Keys.Concat(registry.AllProperties(type).Keys).Distinct().ToList() : [.. registry.AllProperties(type).Keys];
            return Fail(call, ErrorCodes.UnknownFunctionProperty,
                $"relationship template '{template.Name}' (type {type.Name}) has no {(attribute ? "attribute or property" : "property")} '{names[0]}'",
                Suggestions.DidYouMean(names[0], known));
        }

        return WalkPath(call, Evaluate(value, new EvaluationContext(null)), call.Arguments.Skip(2), $"'{names[0]}' of relationship template '{template.Name}'");
    }

    // get_attribute [ SELF, name ] in a relationship's operation, when the relationship's type defines the name: its value when
    // known now, else what the relationship's operations (which run as the source node's) produced under that name.
    private PlanValue? RelationshipAttribute(FunctionCall call, RequirementAssignment relationship, NodeTemplate source, List<string> names, EvaluationContext context)
    {
        if (relationship.RelationshipType is not { } type)
        {
            return null;
        }

        if (registry.AllProperties(type).ContainsKey(names[0]))
        {
            return WalkPath(call, Evaluate(RelationshipProperty(relationship, names[0]), context), call.Arguments.Skip(2), $"property '{names[0]}' of the relationship");
        }

        if (!registry.AllAttributes(type).TryGetValue(names[0], out var definition))
        {
            return null;
        }

        var known = relationship.RelationshipTemplate?.Attributes?[names[0]] ?? definition.Default;
        return known is not null
            ? WalkPath(call, Evaluate(known, context), call.Arguments.Skip(2), $"attribute '{names[0]}' of the relationship")
            : new OutputReference(source.Name, null, names[0], names.Count > 1 ? names[1..] : null);
    }
}
