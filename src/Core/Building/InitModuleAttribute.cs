#nullable enable
namespace InitCfg.Core.Building;

/// <summary>Marks a TorchSharp module class that <c>Register-InitModule -AssemblyPath</c> registers, under this type name.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class InitModuleAttribute : Attribute
{
    /// <summary>Registers the class under <paramref name="type"/> (null: its class name).</summary>
    public InitModuleAttribute(string? type = null) => Type = type;

    /// <summary>The <c>type</c> name configs use.</summary>
    public string? Type { get; }

    /// <summary>One line for the catalog.</summary>
    public string Description { get; set; } = "";
}
