#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;
using InitCfg.Core.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet.Transformer;

/// <summary>
/// MMCV's <c>MultiScaleDeformableAttention</c>: <c>dropout</c>, <c>sampling_offsets</c>, <c>attention_weights</c>,
/// <c>value_proj</c>, <c>output_proj</c> (Linears), initialized by its own <c>init_weights</c> at construction
/// (which marks it initialized, as MMCV does) and again when a parent calls it: offsets zero with a grid-shaped bias
/// (one direction per head, scaled by point index), attention weights zero, Xavier-uniform projections with zero bias.
/// Its forward needs MMCV's multi_scale_deformable_attn op, which TorchSharp lacks.
/// </summary>
public sealed class MultiScaleDeformableAttention : BaseModule, INamedModuleClass
{
    private readonly TorchSharp.Modules.Linear sampling_offsets, attention_weights, value_proj, output_proj;

    /// <summary>Builds it as <c>MultiScaleDeformableAttention(embed_dims, num_heads, num_levels, num_points, im2col_step, dropout, batch_first, norm_cfg, init_cfg, value_proj_ratio)</c>.</summary>
    public MultiScaleDeformableAttention(long embedDims = 256, long numHeads = 8, long numLevels = 4, long numPoints = 4, double dropout = 0.1,
        bool batchFirst = false, double valueProjRatio = 1.0) : base(nameof(MultiScaleDeformableAttention))
    {
        if (numHeads <= 0 || embedDims % numHeads != 0)
            throw new Errors.InitCfgException(Errors.ErrorIds.InvalidArgumentValue, "embed_dims",
                $"embed_dims must be divisible by num_heads, but got {embedDims} and {numHeads}.");
        EmbedDims = embedDims;
        NumHeads = numHeads;
        NumLevels = numLevels;
        NumPoints = numPoints;
        BatchFirst = batchFirst;
        register_module(nameof(dropout), nn.Dropout(dropout));
        sampling_offsets = nn.Linear(embedDims, numHeads * numLevels * numPoints * 2);
        attention_weights = nn.Linear(embedDims, numHeads * numLevels * numPoints);
        long valueSize = (long)(embedDims * valueProjRatio);
        value_proj = nn.Linear(embedDims, valueSize);
        output_proj = nn.Linear(valueSize, embedDims);
        register_module(nameof(sampling_offsets), sampling_offsets);
        register_module(nameof(attention_weights), attention_weights);
        register_module(nameof(value_proj), value_proj);
        register_module(nameof(output_proj), output_proj);
        Fill(null);
        IsInit = true;
    }

    /// <summary>Features of a query (MMCV's <c>embed_dims</c>).</summary>
    public long EmbedDims { get; }

    /// <summary>Attention heads.</summary>
    public long NumHeads { get; }

    /// <summary>Feature levels sampled.</summary>
    public long NumLevels { get; }

    /// <summary>Sampling points per head and level.</summary>
    public long NumPoints { get; }

    /// <summary>True when inputs are (batch, query, embed).</summary>
    public bool BatchFirst { get; }

    /// <inheritdoc />
    public string ClassName => nameof(MultiScaleDeformableAttention);

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; } = new[] { "BaseModule" };

    /// <summary>MMCV's <c>init_weights</c>, drawing from the run's generator.</summary>
    public override void InitWeights(InitContext context)
    {
        Fill(context.Generator);
        IsInit = true;
    }

    /// <summary>The forward needs MMCV's compiled multi-scale deformable attention op.</summary>
    public override Tensor forward(Tensor input) => throw new NotSupportedException(
        "MultiScaleDeformableAttention's forward needs MMCV's multi_scale_deformable_attn op (grid sampling over several feature levels), " +
        "which TorchSharp does not provide; InitCfg builds and initializes it, but does not run it.");

    private void Fill(Generator? generator)
    {
        using var _ = no_grad();
        sampling_offsets.weight.zero_();
        // The scope and the held Scalars keep every temporary alive until libtorch is done with it: a wrapper that
        // is garbage mid-call can be finalized, freeing what libtorch reads (the lifetime stress leg's failure mode).
        using (NewDisposeScope())
        {
            using Scalar heads = NumHeads, step = 2.0 * Math.PI / NumHeads;
            var thetas = arange(heads, ScalarType.Float32) * step;
            var grid = stack(new[] { thetas.cos(), thetas.sin() }, -1);
            grid = (grid / grid.abs().max(-1, true).values).view(NumHeads, 1, 1, 2).repeat(1, NumLevels, NumPoints, 1);
            for (long i = 0; i < NumPoints; i++)
                grid[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Single(i), TensorIndex.Colon].MulBy(i + 1);
            sampling_offsets.bias!.copy_(grid.view(-1));
        }
        attention_weights.weight.zero_();
        attention_weights.bias!.zero_();
        foreach (var linear in new[] { value_proj, output_proj })
        {
            var (fanIn, fanOut) = InitMath.Fans(linear.weight.shape)!.Value;
            double a = Math.Sqrt(3.0) * Math.Sqrt(2.0 / (fanIn + fanOut));
            linear.weight.uniform_(-a, a, generator);
            linear.bias!.zero_();
        }
    }
}
