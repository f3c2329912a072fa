#nullable enable
using InitCfg.Core.Modules;
using InitCfg.Core.Configs;
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// One module of a model tree as a user inspects it (PyTorch's <c>print(model)</c>, one row per module): where it
/// is, what it is, what it holds and how it will be or was initialized.
/// </summary>
public sealed class InitModuleInfo
{
    private InitModuleInfo(ModuleNode node, int depth)
    {
        Module = node.Module;
        Path = node.Path;
        Name = node.Name;
        Depth = depth;
        ClassName = LayerTypeNames.ClassName(node.Module);
        LayerTypes = LayerTypeNames.Of(node.Module);
        Children = node.Children.Count;
        foreach (var (_, p) in node.Module.named_parameters(recurse: false))
        {
            Parameters += p.numel();
            ParameterTensors++;
        }
        var config = InitAttachment.GetConfig(node.Module);
        InitCfg = config is null ? null : PyRepr.Repr(config);
        Initialized = InitAttachment.IsInitialized(node.Module);
    }

    /// <summary>Dotted path from the model, e.g. <c>layer1.0.conv1</c>; empty for the model itself.</summary>
    public string Path { get; }

    /// <summary>Attribute name in its parent (empty for the model itself).</summary>
    public string Name { get; }

    /// <summary>Levels below the module the listing started at (0 for that module).</summary>
    public int Depth { get; }

    /// <summary>The class name, as reports and layer filters use it.</summary>
    public string ClassName { get; }

    /// <summary>Every name a <c>layer</c> filter matches this module by (class first, then its bases).</summary>
    public IReadOnlyList<string> LayerTypes { get; }

    /// <summary>Number of direct children.</summary>
    public int Children { get; }

    /// <summary>Elements of the parameters registered directly on this module (not its children's).</summary>
    public long Parameters { get; private set; }

    /// <summary>Number of parameter tensors registered directly on this module.</summary>
    public int ParameterTensors { get; private set; }

    /// <summary>
    /// The module's own init_cfg as MMEngine prints it (<c>dict(type='Kaiming', layer='Conv2d')</c>, a list for
    /// several), or null. Text rather than the config tree, so it reads the same in every view and in
    /// <c>Select-Object</c>; the tree itself is on the module.
    /// </summary>
    public string? InitCfg { get; }

    /// <summary>True once init_weights has run on the module (MMEngine's <c>is_init</c>).</summary>
    public bool Initialized { get; }

    /// <summary>The module itself.</summary>
    public nn.Module Module { get; }

    /// <summary>The path for display: the model itself is <c>&lt;root&gt;</c>.</summary>
    public string DisplayPath => Path.Length == 0 ? "<root>" : Path;

    /// <summary>
    /// <paramref name="start"/> and the modules below it down to <paramref name="depth"/> levels (null: all), parents
    /// before children in registration order, as <c>print(model)</c> lists them.
    /// </summary>
    public static IEnumerable<InitModuleInfo> Walk(ModuleNode start, int? depth = null)
    {
        var stack = new Stack<(ModuleNode Node, int Depth)>();
        stack.Push((start, 0));
        while (stack.Count > 0)
        {
            var (node, d) = stack.Pop();
            yield return new InitModuleInfo(node, d);
            if (depth is int max && d >= max) continue;
            for (int i = node.Children.Count - 1; i >= 0; i--) stack.Push((node.Children[i], d + 1));
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{DisplayPath} ({ClassName})";
}
