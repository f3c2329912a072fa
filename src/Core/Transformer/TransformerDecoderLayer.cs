#nullable enable
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Transformer;

/// <summary>
/// PyTorch's <c>nn.TransformerDecoderLayer</c> with PyTorch's children and order: <c>self_attn</c>,
/// <c>multihead_attn</c>, <c>linear1</c>, <c>dropout</c>, <c>linear2</c>, <c>norm1</c>..<c>norm3</c>,
/// <c>dropout1</c>..<c>dropout3</c>; construction draws in that order as PyTorch's do.
/// </summary>
public sealed class TransformerDecoderLayer : nn.Module<Tensor, Tensor, Tensor?, Tensor?, Tensor?, Tensor?, Tensor>, INamedModuleClass
{
    private readonly MultiheadAttention self_attn, multihead_attn;
    private readonly TorchSharp.Modules.Linear linear1, linear2;
    private readonly TorchSharp.Modules.Dropout dropout, dropout1, dropout2, dropout3;
    private readonly TorchSharp.Modules.LayerNorm norm1, norm2, norm3;
    private readonly Func<Tensor, Tensor> _activation;

    /// <summary>Builds it as <c>nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first)</c>.</summary>
    public TransformerDecoderLayer(long dModel, long nhead, long dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false) : base(nameof(TransformerDecoderLayer))
    {
        _activation = TransformerEncoderLayer.Activation(activation);
        NormFirst = normFirst;
        self_attn = new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst);
        multihead_attn = new MultiheadAttention(dModel, nhead, dropout, batchFirst: batchFirst);
        linear1 = nn.Linear(dModel, dimFeedforward);
        this.dropout = nn.Dropout(dropout);
        linear2 = nn.Linear(dimFeedforward, dModel);
        norm1 = nn.LayerNorm(new[] { dModel }, layerNormEps);
        norm2 = nn.LayerNorm(new[] { dModel }, layerNormEps);
        norm3 = nn.LayerNorm(new[] { dModel }, layerNormEps);
        dropout1 = nn.Dropout(dropout);
        dropout2 = nn.Dropout(dropout);
        dropout3 = nn.Dropout(dropout);
        register_module(nameof(self_attn), self_attn);
        register_module(nameof(multihead_attn), multihead_attn);
        register_module(nameof(linear1), linear1);
        register_module(nameof(this.dropout), this.dropout);
        register_module(nameof(linear2), linear2);
        register_module(nameof(norm1), norm1);
        register_module(nameof(norm2), norm2);
        register_module(nameof(norm3), norm3);
        register_module(nameof(dropout1), dropout1);
        register_module(nameof(dropout2), dropout2);
        register_module(nameof(dropout3), dropout3);
    }

    /// <summary>True when the norms run first in each block (pre-norm).</summary>
    public bool NormFirst { get; }

    /// <inheritdoc />
    public string ClassName => nameof(TransformerDecoderLayer);

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "Module" };

    /// <summary>PyTorch's <c>forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)</c>.</summary>
    public override Tensor forward(Tensor tgt, Tensor memory, Tensor? tgtMask, Tensor? memoryMask, Tensor? tgtKeyPaddingMask, Tensor? memoryKeyPaddingMask)
    {
        using var scope = NewDisposeScope(); // holds each intermediate until the result moves out (see AttentionFunctional)
        var x = tgt;
        if (NormFirst)
        {
            x = x + SelfAttention(norm1.call(x), tgtMask, tgtKeyPaddingMask);
            x = x + CrossAttention(norm2.call(x), memory, memoryMask, memoryKeyPaddingMask);
            x = x + FeedForward(norm3.call(x));
        }
        else
        {
            x = norm1.call(x + SelfAttention(x, tgtMask, tgtKeyPaddingMask));
            x = norm2.call(x + CrossAttention(x, memory, memoryMask, memoryKeyPaddingMask));
            x = norm3.call(x + FeedForward(x));
        }
        GC.KeepAlive(tgt); GC.KeepAlive(memory); GC.KeepAlive(tgtMask); GC.KeepAlive(memoryMask); GC.KeepAlive(tgtKeyPaddingMask); GC.KeepAlive(memoryKeyPaddingMask);
        return scope.MoveToOuter(x);
    }

    /// <summary>The layer without masks.</summary>
    public Tensor call(Tensor tgt, Tensor memory) => call(tgt, memory, null, null, null, null);

    private Tensor SelfAttention(Tensor x, Tensor? mask, Tensor? keyPaddingMask) =>
        dropout1.call(self_attn.Forward(x, x, x, keyPaddingMask, false, mask).Output);

    private Tensor CrossAttention(Tensor x, Tensor memory, Tensor? mask, Tensor? keyPaddingMask) =>
        dropout2.call(multihead_attn.Forward(x, memory, memory, keyPaddingMask, false, mask).Output);

    private Tensor FeedForward(Tensor x) => dropout3.call(linear2.call(dropout.call(_activation(linear1.call(x)))));
}
