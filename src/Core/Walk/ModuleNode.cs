#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>A module in a model tree with its dotted path from the root (the root's path is empty).</summary>
public sealed class ModuleNode
{
    private readonly List<ModuleNode> _children = new();

    private ModuleNode(nn.Module module, string name, string path, ModuleNode? parent)
    {
        Module = module;
        Name = name;
        Path = path;
        Parent = parent;
    }

    /// <summary>The module.</summary>
    public nn.Module Module { get; }

    /// <summary>Its attribute name in its parent.</summary>
    public string Name { get; }

    /// <summary>Dotted path from the root, e.g. <c>backbone.layer1.0</c>; empty for the root.</summary>
    public string Path { get; }

    /// <summary>The parent, null for the root.</summary>
    public ModuleNode? Parent { get; }

    /// <summary>Children in registration order.</summary>
    public IReadOnlyList<ModuleNode> Children => _children;

    /// <summary>The path for messages: the root is shown as its class name.</summary>
    public string DisplayPath => Path.Length == 0 ? "<root>" : Path;

    /// <summary>Builds the tree under <paramref name="root"/>, following named_children (registration order).</summary>
    public static ModuleNode Build(nn.Module root)
    {
        var node = new ModuleNode(root, "", "", null);
        AddChildren(node, new HashSet<nn.Module>(ReferenceEqualityComparer.Instance) { root });
        return node;
    }

    private static void AddChildren(ModuleNode node, HashSet<nn.Module> seen)
    {
        foreach (var (name, child) in node.Module.named_children())
        {
            if (child is null || !seen.Add(child)) continue;
            var c = new ModuleNode(child, name, node.Path.Length == 0 ? name : node.Path + "." + name, node);
            node._children.Add(c);
            AddChildren(c, seen);
        }
    }

    /// <summary>This node and every descendant, children before parents (as <c>Module.apply</c>).</summary>
    public IEnumerable<ModuleNode> PostOrder()
    {
        foreach (var c in _children)
            foreach (var d in c.PostOrder()) yield return d;
        yield return this;
    }

    /// <summary>The descendant at a dotted path relative to this node, or null.</summary>
    public ModuleNode? Find(string dotted)
    {
        var node = this;
        foreach (var part in dotted.Split('.'))
        {
            node = node._children.FirstOrDefault(c => c.Name == part);
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>Relative dotted names of every descendant (for hints).</summary>
    public IEnumerable<string> DescendantNames() =>
        PostOrder().Where(n => n != this).Select(n => Path.Length == 0 ? n.Path : n.Path[(Path.Length + 1)..]);
}
