#nullable enable
using InitCfg.Core.Layers;
using InitCfg.Core.Modules;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Transformer;

/// <summary>
/// MMCV's <c>MultiheadAttention</c> brick (a BaseModule): <c>attn</c> (PyTorch's nn.MultiheadAttention, in
/// PyTorch's layout), <c>proj_drop</c> (nn.Dropout) and <c>dropout_layer</c> (MMCV's Dropout or DropPath, or
/// nn.Identity), with MMCV's forward: positional encodings added to query and key, the identity added back.
/// </summary>
public sealed class MMCVMultiheadAttention : BaseModule, INamedModuleClass
{
    private readonly Core.Transformer.MultiheadAttention attn;
    private readonly nn.Module<Tensor, Tensor> proj_drop, dropout_layer;

    /// <summary>Builds it from its parts (see <see cref="TransformerBricks.MultiheadAttention(Building.ModuleArguments)"/>).</summary>
    public MMCVMultiheadAttention(Core.Transformer.MultiheadAttention attention, double projDrop, nn.Module<Tensor, Tensor> dropoutLayer, bool batchFirst)
        : base("MultiheadAttention")
    {
        attn = attention;
        proj_drop = nn.Dropout(projDrop);
        dropout_layer = dropoutLayer;
        BatchFirst = batchFirst;
        register_module(nameof(attn), attn);
        register_module(nameof(proj_drop), proj_drop);
        register_module(nameof(dropout_layer), dropout_layer);
    }

    /// <summary>True when inputs are (batch, seq, embed).</summary>
    public bool BatchFirst { get; }

    /// <summary>MMCV's <c>embed_dims</c> (the wrapped attention's embed_dim).</summary>
    public long EmbedDims => attn.EmbedDim;

    /// <inheritdoc />
    public string ClassName => "MultiheadAttention";

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "BaseModule" };

    /// <summary>Self-attention of <paramref name="input"/> with itself.</summary>
    public override Tensor forward(Tensor input) => Forward(input);

    /// <summary>MMCV's <c>forward(query, key, value, identity, query_pos, key_pos, attn_mask, key_padding_mask)</c>.</summary>
    public Tensor Forward(Tensor query, Tensor? key = null, Tensor? value = null, Tensor? identity = null, Tensor? queryPos = null,
        Tensor? keyPos = null, Tensor? attnMask = null, Tensor? keyPaddingMask = null)
    {
        using var scope = NewDisposeScope(); // holds each intermediate until the result moves out (see AttentionFunctional)
        var inputs = new[] { query, key, value, identity, queryPos, keyPos, attnMask, keyPaddingMask };
        key ??= query;
        value ??= key;
        identity ??= query;
        if (keyPos is null && queryPos is not null && queryPos.shape.SequenceEqual(key.shape)) keyPos = queryPos;
        if (queryPos is not null) query = query + queryPos;
        if (keyPos is not null) key = key + keyPos;
        if (BatchFirst)
        {
            query = query.transpose(0, 1);
            key = key.transpose(0, 1);
            value = value.transpose(0, 1);
        }
        var output = attn.Forward(query, key, value, keyPaddingMask, true, attnMask).Output;
        if (BatchFirst) output = output.transpose(0, 1);
        var result = identity + dropout_layer.call(proj_drop.call(output));
        GC.KeepAlive(inputs);
        return scope.MoveToOuter(result);
    }
}
