#nullable enable
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Modules;

/// <summary>A sequential container that carries an init_cfg (MMEngine's <c>Sequential</c>); children are named 0, 1, ...</summary>
public sealed class MMEngineSequential : BaseModule, INamedModuleClass
{
    private readonly List<nn.Module> _items = new();

    /// <summary>Creates the container.</summary>
    public MMEngineSequential(IEnumerable<nn.Module> items) : base("Sequential")
    {
        foreach (var m in items) { register_module(_items.Count.ToString(), m); _items.Add(m); }
    }

    /// <inheritdoc />
    public string ClassName => "Sequential";

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "BaseModule", "Module" };

    /// <summary>Runs the children in order.</summary>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var m in _items)
            x = m is nn.Module<Tensor, Tensor> f ? f.call(x) : throw new NotSupportedException($"{m.GetType().Name} cannot be chained.");
        return x;
    }
}
