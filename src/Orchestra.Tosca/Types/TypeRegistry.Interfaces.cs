namespace Orchestra.Tosca.Types;

/// <summary>What an interface type itself contributes to the interfaces that name it.</summary>
internal sealed partial class TypeRegistry
{
    /// <summary>
    /// The interface type's inputs (parameter definitions, inherited ones included, the nearest winning) and operations, as an
    /// interface definition named <paramref name="name"/>: the base that a node or relationship type's interface of this type refines.
    /// </summary>
    public InterfaceDefinition InterfaceTypeBase(ToscaType interfaceType, string name)
    {
        var definition = new InterfaceDefinition(name, interfaceType.Location) { TypeName = interfaceType.Name };
        foreach (var type in interfaceType.Ancestry().Reverse())
        {
            foreach (var (input, parameter) in type.InterfaceInputs)
            {
                definition.Inputs[input] = parameter;
            }
        }

        foreach (var (operation, value) in AllOperations(interfaceType))
        {
            definition.Operations[operation] = value;
        }

        return definition;
    }
}
