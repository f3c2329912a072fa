#nullable enable
using InitCfg.Core.Layers;
using InitCfg.Core.Modules;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Transformer;

/// <summary>
/// MMCV's <c>FFN</c> brick: <c>layers</c> (MMEngine Sequential of <c>Sequential(Linear, activation, Dropout)</c>
/// blocks, then <c>Linear</c> and <c>Dropout</c>: <c>layers.0.0</c>, <c>layers.1</c>...), <c>dropout_layer</c> and
/// <c>gamma2</c> (LayerScale or nn.Identity), with MMCV's forward.
/// </summary>
public sealed class FFN : BaseModule, INamedModuleClass
{
    private readonly Modules.MMEngineSequential layers;
    private readonly nn.Module<Tensor, Tensor> dropout_layer, gamma2;

    /// <summary>Builds it from its parts (see <see cref="TransformerBricks.FFN(Building.ModuleArguments)"/>).</summary>
    public FFN(Modules.MMEngineSequential layers, nn.Module<Tensor, Tensor> dropoutLayer, nn.Module<Tensor, Tensor> gamma2, bool addIdentity) : base(nameof(FFN))
    {
        this.layers = layers;
        dropout_layer = dropoutLayer;
        this.gamma2 = gamma2;
        AddIdentity = addIdentity;
        register_module(nameof(layers), layers);
        register_module(nameof(dropout_layer), dropout_layer);
        register_module(nameof(gamma2), gamma2);
    }

    /// <summary>True when the input is added to the output.</summary>
    public bool AddIdentity { get; }

    /// <inheritdoc />
    public string ClassName => nameof(FFN);

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "BaseModule" };

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Forward(input);

    /// <summary>MMCV's <c>forward(x, identity)</c>.</summary>
    public Tensor Forward(Tensor x, Tensor? identity = null)
    {
        var output = gamma2.call(layers.call(x));
        return AddIdentity ? (identity ?? x) + dropout_layer.call(output) : dropout_layer.call(output);
    }
}
