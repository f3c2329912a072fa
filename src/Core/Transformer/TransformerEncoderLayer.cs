#nullable enable
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Transformer;

/// <summary>
/// PyTorch's <c>nn.TransformerEncoderLayer</c> with PyTorch's children and order: <c>self_attn</c> (a
/// <see cref="MultiheadAttention"/>), <c>linear1</c>, <c>dropout</c>, <c>linear2</c>, <c>norm1</c>, <c>norm2</c>,
/// <c>dropout1</c>, <c>dropout2</c>; construction draws in that order as PyTorch's do. The activation
/// ('relu' or 'gelu') is a function, not a child, as in PyTorch when given by name.
/// </summary>
public sealed class TransformerEncoderLayer : nn.Module<Tensor, Tensor?, Tensor?, Tensor>, INamedModuleClass
{
    private readonly MultiheadAttention self_attn;
    private readonly TorchSharp.Modules.Linear linear1, linear2;
    private readonly TorchSharp.Modules.Dropout dropout, dropout1, dropout2;
    private readonly TorchSharp.Modules.LayerNorm norm1, norm2;
    private readonly Func<Tensor, Tensor> _activation;

    /// <summary>Builds it as <c>nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first)</c>.</summary>
    public TransformerEncoderLayer(long dModel, long nhead, long dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false) : base(nameof(TransformerEncoderLayer))
    {
        _activation = Activation(activation);
        NormFirst = normFirst;
        self_attn = new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst);
        linear1 = nn.Linear(dModel, dimFeedforward);
        this.dropout = nn.Dropout(dropout);
        linear2 = nn.Linear(dimFeedforward, dModel);
        norm1 = nn.LayerNorm(new[] { dModel }, layerNormEps);
        norm2 = nn.LayerNorm(new[] { dModel }, layerNormEps);
        dropout1 = nn.Dropout(dropout);
        dropout2 = nn.Dropout(dropout);
        register_module(nameof(self_attn), self_attn);
        register_module(nameof(linear1), linear1);
        register_module(nameof(this.dropout), this.dropout);
        register_module(nameof(linear2), linear2);
        register_module(nameof(norm1), norm1);
        register_module(nameof(norm2), norm2);
        register_module(nameof(dropout1), dropout1);
        register_module(nameof(dropout2), dropout2);
    }

    /// <summary>The activation PyTorch's <c>_get_activation_fn</c> returns for a name.</summary>
    internal static Func<Tensor, Tensor> Activation(string name) => name switch
    {
        "relu" => x => nn.functional.relu(x),
        "gelu" => x => nn.functional.gelu(x),
        _ => throw new InitCfgException(ErrorIds.InvalidArgumentValue, "activation", $"activation should be relu/gelu, not {name}."),
    };

    /// <summary>True when the norms run before attention and feed-forward (pre-norm).</summary>
    public bool NormFirst { get; }

    /// <inheritdoc />
    public string ClassName => nameof(TransformerEncoderLayer);

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "Module" };

    /// <summary>PyTorch's <c>forward(src, src_mask, src_key_padding_mask)</c>.</summary>
    public override Tensor forward(Tensor src, Tensor? srcMask, Tensor? srcKeyPaddingMask)
    {
        using var scope = NewDisposeScope(); // holds each intermediate until the result moves out (see AttentionFunctional)
        var x = src;
        if (NormFirst)
        {
            x = x + SelfAttention(norm1.call(x), srcMask, srcKeyPaddingMask);
            x = x + FeedForward(norm2.call(x));
        }
        else
        {
            x = norm1.call(x + SelfAttention(x, srcMask, srcKeyPaddingMask));
            x = norm2.call(x + FeedForward(x));
        }
        GC.KeepAlive(src); GC.KeepAlive(srcMask); GC.KeepAlive(srcKeyPaddingMask);
        return scope.MoveToOuter(x);
    }

    /// <summary>The layer without masks.</summary>
    public Tensor call(Tensor src) => call(src, null, null);

    private Tensor SelfAttention(Tensor x, Tensor? mask, Tensor? keyPaddingMask) =>
        dropout1.call(self_attn.Forward(x, x, x, keyPaddingMask, false, mask).Output);

    private Tensor FeedForward(Tensor x) => dropout2.call(linear2.call(dropout.call(_activation(linear1.call(x)))));
}
