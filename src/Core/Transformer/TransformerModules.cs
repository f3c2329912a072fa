#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.Transformer;

/// <summary>Registers PyTorch's attention and transformer layers, in PyTorch's layout, under PyTorch's names.</summary>
public static class TransformerModules
{
    private static readonly S[] LayerArguments =
    {
        new("d_model", K.Int, null, "Features of the input.", Required: true), new("nhead", K.Int, null, "Attention heads.", Required: true),
        new("dim_feedforward", K.Int, 2048L, "Width of the feed-forward block."), new("dropout", K.Number, 0.1, "Dropout probability."),
        new("activation", K.Text, "relu", "'relu' or 'gelu'."), new("layer_norm_eps", K.Number, 1e-5, "LayerNorm eps."),
        new("batch_first", K.Bool, false, "Inputs are (batch, seq, feature)."), new("norm_first", K.Bool, false, "Pre-norm instead of post-norm."),
    };

    /// <summary>Adds MultiheadAttention, TransformerEncoderLayer and TransformerDecoderLayer to <paramref name="registry"/>.</summary>
    public static void Register(ModuleRegistry registry)
    {
        registry.Register(new("MultiheadAttention", "Multi-head attention in PyTorch's layout (in_proj_weight, in_proj_bias, out_proj child).",
            new S[]
            {
                new("embed_dim", K.Int, null, Required: true), new("num_heads", K.Int, null, Required: true), new("dropout", K.Number, 0.0),
                new("bias", K.Bool, true), new("add_bias_kv", K.Bool, false), new("add_zero_attn", K.Bool, false),
                new("kdim", K.Int, null, Nullable: true), new("vdim", K.Int, null, Nullable: true), new("batch_first", K.Bool, false),
            },
            a => Checked(a, () => new MultiheadAttention(a.Int("embed_dim"), a.Int("num_heads"), a.Number("dropout"), a.Bool("bias"), a.Bool("add_bias_kv"),
                a.Bool("add_zero_attn"), a.IntOrNull("kdim"), a.IntOrNull("vdim"), a.Bool("batch_first")))));
        registry.Register(new("TransformerEncoderLayer", "PyTorch's transformer encoder layer (self_attn, linear1, linear2, norm1, norm2).", LayerArguments,
            a => Checked(a, () => new TransformerEncoderLayer(a.Int("d_model"), a.Int("nhead"), a.Int("dim_feedforward"), a.Number("dropout"), a.Text("activation"),
                a.Number("layer_norm_eps"), a.Bool("batch_first"), a.Bool("norm_first")))));
        registry.Register(new("TransformerDecoderLayer", "PyTorch's transformer decoder layer (self_attn, multihead_attn, linear1, linear2, norm1-3).", LayerArguments,
            a => Checked(a, () => new TransformerDecoderLayer(a.Int("d_model"), a.Int("nhead"), a.Int("dim_feedforward"), a.Number("dropout"), a.Text("activation"),
                a.Number("layer_norm_eps"), a.Bool("batch_first"), a.Bool("norm_first")))));
    }

    /// <summary>Runs a constructor that names a bad argument by its bare name; the error gets the node's path in the config.</summary>
    internal static T Checked<T>(ModuleArguments a, Func<T> build)
    {
        try { return build(); }
        catch (Errors.InitCfgException e) when (e.ConfigPath is { } key && !key.Contains('.') && !key.Contains('['))
        {
            throw new Errors.InitCfgException(e.ErrorId, a.Path.Key(key).ToString(), e.Message, e);
        }
    }
}
