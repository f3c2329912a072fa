#nullable enable
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace InitCfg.Core.Transformer;

/// <summary>
/// PyTorch's <c>nn.MultiheadAttention</c> in PyTorch's layout: <c>in_proj_weight</c> [3E, E] (or
/// <c>q_proj_weight</c>/<c>k_proj_weight</c>/<c>v_proj_weight</c> when <c>kdim</c>/<c>vdim</c> differ from E),
/// <c>in_proj_bias</c>, <c>bias_k</c>/<c>bias_v</c> [1, 1, E] with <c>add_bias_kv</c>, and an <c>out_proj</c>
/// child (<see cref="NonDynamicallyQuantizableLinear"/>). Construction draws as PyTorch's: <c>out_proj</c> as a
/// Linear, then <c>_reset_parameters</c> (xavier_uniform_ on the input projections, zero biases, xavier_normal_ on
/// bias_k and bias_v). TorchSharp's own MultiheadAttention puts out_proj's parameters on the attention itself,
/// which neither <c>layer='Linear'</c> nor PyTorch's state dict names can reach.
/// </summary>
public sealed class MultiheadAttention : nn.Module<Tensor, Tensor, Tensor, Tensor?, bool, Tensor?, (Tensor Output, Tensor? Weights)>, INamedModuleClass
{
    // Field names equal PyTorch's, so TorchSharp's field scan finds them registered already.
    private readonly Parameter? in_proj_weight, q_proj_weight, k_proj_weight, v_proj_weight, in_proj_bias, bias_k, bias_v;
    private readonly NonDynamicallyQuantizableLinear out_proj;

    /// <summary>Builds it as <c>nn.MultiheadAttention(embed_dim, num_heads, dropout, bias, add_bias_kv, add_zero_attn, kdim, vdim, batch_first)</c>.</summary>
    public MultiheadAttention(long embedDim, long numHeads, double dropout = 0.0, bool bias = true, bool addBiasKV = false,
        bool addZeroAttn = false, long? kdim = null, long? vdim = null, bool batchFirst = false) : base(nameof(MultiheadAttention))
    {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, "embed_dim",
                $"embed_dim must be divisible by num_heads (both > 0), but got embed_dim={embedDim}, num_heads={numHeads}.");
        if (dropout is < 0 or > 1)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, "dropout", $"dropout must be in [0, 1], but got {dropout}.");
        EmbedDim = embedDim;
        NumHeads = numHeads;
        Dropout = dropout;
        KDim = kdim ?? embedDim;
        VDim = vdim ?? embedDim;
        BatchFirst = batchFirst;
        AddZeroAttn = addZeroAttn;
        using var _ = no_grad();
        if (SameEmbedDim)
            Register(nameof(in_proj_weight), in_proj_weight = new Parameter(empty(3 * embedDim, embedDim)));
        else
        {
            Register(nameof(q_proj_weight), q_proj_weight = new Parameter(empty(embedDim, embedDim)));
            Register(nameof(k_proj_weight), k_proj_weight = new Parameter(empty(embedDim, KDim)));
            Register(nameof(v_proj_weight), v_proj_weight = new Parameter(empty(embedDim, VDim)));
        }
        if (bias) Register(nameof(in_proj_bias), in_proj_bias = new Parameter(empty(3 * embedDim)));
        out_proj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, bias);
        if (addBiasKV)
        {
            Register(nameof(bias_k), bias_k = new Parameter(empty(1, 1, embedDim)));
            Register(nameof(bias_v), bias_v = new Parameter(empty(1, 1, embedDim)));
        }
        register_module(nameof(out_proj), out_proj);

        foreach (var w in new[] { in_proj_weight, q_proj_weight, k_proj_weight, v_proj_weight })
            if (w is not null) XavierUniform(w);
        if (in_proj_bias is not null)
        {
            in_proj_bias.zero_();
            out_proj.Bias!.zero_();
        }
        foreach (var b in new[] { bias_k, bias_v })
            if (b is not null) XavierNormal(b);
    }

    private void Register(string name, Parameter p) => register_parameter(name, p);

    // torch.nn.init's xavier_uniform_/xavier_normal_ with gain 1, from the global generator as PyTorch's constructor draws.
    private static void XavierUniform(Tensor w) => Initializers.XavierInit.Fill(w, 1.0, "uniform", null);

    private static void XavierNormal(Tensor w) => Initializers.XavierInit.Fill(w, 1.0, "normal", null);

    /// <summary>Total dimension of the model (E).</summary>
    public long EmbedDim { get; }

    /// <summary>Number of parallel heads.</summary>
    public long NumHeads { get; }

    /// <summary>Dropout probability on the attention weights while training.</summary>
    public double Dropout { get; }

    /// <summary>Features of the key.</summary>
    public long KDim { get; }

    /// <summary>Features of the value.</summary>
    public long VDim { get; }

    /// <summary>True when inputs are (batch, seq, feature).</summary>
    public bool BatchFirst { get; }

    /// <summary>True when a zero key/value is appended.</summary>
    public bool AddZeroAttn { get; }

    /// <summary>PyTorch's <c>_qkv_same_embed_dim</c>: one packed in_proj_weight.</summary>
    public bool SameEmbedDim => KDim == EmbedDim && VDim == EmbedDim;

    /// <summary>The output projection.</summary>
    public NonDynamicallyQuantizableLinear OutProj => out_proj;

    /// <inheritdoc />
    public string ClassName => nameof(MultiheadAttention);

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "Module" };

    /// <summary>Attention with the averaged attention weights when <paramref name="needWeights"/>.</summary>
    public override (Tensor Output, Tensor? Weights) forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask, bool needWeights, Tensor? attnMask) =>
        Forward(query, key, value, keyPaddingMask, needWeights, attnMask, true);

    /// <summary>PyTorch's <c>forward(query, key, value, key_padding_mask, need_weights, attn_mask, average_attn_weights)</c>.</summary>
    public (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null, bool needWeights = true,
        Tensor? attnMask = null, bool averageAttnWeights = true)
    {
        bool batched = query.dim() == 3;
        if (BatchFirst && batched)
        {
            query = query.transpose(1, 0);
            key = key.transpose(1, 0);
            value = value.transpose(1, 0);
        }
        var (output, weights) = AttentionFunctional.MultiHeadAttentionForward(query, key, value, NumHeads,
            in_proj_weight, in_proj_bias, bias_k, bias_v, AddZeroAttn, training ? Dropout : 0.0, out_proj.Weight, out_proj.Bias,
            keyPaddingMask, needWeights, attnMask, q_proj_weight, k_proj_weight, v_proj_weight, averageAttnWeights);
        return (BatchFirst && batched ? output.transpose(1, 0) : output, weights);
    }
}
