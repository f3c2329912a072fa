#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Backbones.Swin;

/// <summary>
/// MMDetection's <c>WindowMSA</c>: <c>relative_position_bias_table</c> (zeros, [(2Wh-1)(2Ww-1), heads]), the
/// <c>relative_position_index</c> buffer (int64), <c>qkv</c>, <c>attn_drop</c>, <c>proj</c>, <c>proj_drop</c>,
/// <c>softmax</c>. Its own <c>init_weights</c> draws the table from a truncated normal (std 0.02); inside a
/// SwinTransformer it never runs, since the backbone's init_weights does not call its children's.
/// </summary>
public sealed class WindowMSA : MMDetModule
{
    private readonly Parameter relative_position_bias_table;

    /// <summary>Builds it as <c>WindowMSA(embed_dims, num_heads, window_size, qkv_bias, qk_scale, attn_drop_rate, proj_drop_rate)</c>.</summary>
    public WindowMSA(long embedDims, long numHeads, (long H, long W) window, bool qkvBias, double attnDrop, double projDrop)
        : base("WindowMSA", Array.Empty<KeyValuePair<string, nn.Module>>())
    {
        relative_position_bias_table = new Parameter(zeros((2 * window.H - 1) * (2 * window.W - 1), numHeads));
        register_parameter(nameof(relative_position_bias_table), relative_position_bias_table);
        // double_step_seq(2Ww-1, Wh, 1, Ww); index = (seq + seq.T).flip(1)
        // The scope and the held Scalars keep every temporary alive until libtorch is done with it (a wrapper that is
        // garbage mid-call can be finalized, freeing what libtorch reads); the index itself leaves the scope.
        using (NewDisposeScope())
        {
            using Scalar zero = 0, rows = (2 * window.W - 1) * window.H, step = 2 * window.W - 1, cols = window.W;
            var seq = (arange(zero, rows, step).unsqueeze(1) + arange(zero, cols).unsqueeze(0)).reshape(1, -1);
            register_buffer("relative_position_index", (seq + seq.T).flip(1).contiguous().DetachFromDisposeScope());
        }
        register_module("qkv", nn.Linear(embedDims, embedDims * 3, qkvBias));
        register_module("attn_drop", nn.Dropout(attnDrop));
        register_module("proj", nn.Linear(embedDims, embedDims));
        register_module("proj_drop", nn.Dropout(projDrop));
        register_module("softmax", nn.Softmax(-1));
    }

    /// <summary>WindowMSA's <c>init_weights</c>: trunc_normal_(relative_position_bias_table, std=0.02).</summary>
    public override void InitWeights(InitContext context)
    {
        using var _ = no_grad();
        TruncNormalInit.Fill(relative_position_bias_table, 0, 0.02, -2, 2, context.Generator);
    }
}
