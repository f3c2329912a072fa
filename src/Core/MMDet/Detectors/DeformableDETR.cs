#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.MMDet.Transformer;
using TorchSharp.Modules;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.Detectors;

/// <summary>
/// MMDetection 3.3's <c>DeformableDETR</c>: its own <c>level_embed</c> parameter, then <c>backbone</c>, <c>neck</c>,
/// <c>bbox_head</c> (DeformableDETRHead, given share_pred_layer = not with_box_refine, num_pred_layer and
/// as_two_stage), <c>positional_encoding</c>, <c>encoder</c>, <c>decoder</c>, <c>query_embedding</c> (one-stage) and
/// <c>reference_points_fc</c>, or <c>memory_trans_fc</c>/<c>memory_trans_norm</c>/<c>pos_trans_fc</c>/<c>pos_trans_norm</c>
/// (two-stage). Its <c>init_weights</c>: the default procedure, xavier_uniform_ on the encoder's and decoder's
/// matrices, every MultiScaleDeformableAttention's init_weights again, xavier on the reference/transfer Linears, and
/// normal_ on level_embed.
/// </summary>
public sealed class DeformableDETR : MMDetModule
{
    private readonly Parameter level_embed;
    private readonly bool _twoStage;

    private DeformableDETR(Parameter levelEmbed, IEnumerable<KeyValuePair<string, nn.Module>> children, ConfigMap settings, bool twoStage)
        : base("DeformableDETR", Array.Empty<KeyValuePair<string, nn.Module>>(), settings)
    {
        register_parameter(nameof(level_embed), level_embed = levelEmbed);
        foreach (var (name, child) in children) register_module(name, child);
        _twoStage = twoStage;
    }

    /// <summary>DETR's arguments plus num_feature_levels, with_box_refine and as_two_stage.</summary>
    public static readonly S[] Arguments = DETR.Arguments.Concat(new S[]
    {
        new("num_feature_levels", K.Int, 4L), new("with_box_refine", K.Bool, false), new("as_two_stage", K.Bool, false),
    }).ToArray();

    /// <summary>Builds the detector.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        bool twoStage = a.Bool("as_two_stage");
        var children = Parts(a, "DeformableDetrTransformerDecoder", out long embed);
        if (!twoStage) children.Add(new("query_embedding", nn.Embedding(a.Int("num_queries"), embed * 2)));
        // torch.Tensor(levels, embed): no draw; init_weights overwrites it with normal_.
        var levelEmbed = new Parameter(zeros(a.Int("num_feature_levels"), embed));
        if (twoStage)
        {
            children.Add(new("memory_trans_fc", nn.Linear(embed, embed)));
            children.Add(new("memory_trans_norm", nn.LayerNorm(embed)));
            children.Add(new("pos_trans_fc", nn.Linear(embed * 2, embed * 2)));
            children.Add(new("pos_trans_norm", nn.LayerNorm(embed * 2)));
        }
        else children.Add(new("reference_points_fc", nn.Linear(embed, 2)));
        return new DeformableDETR(levelEmbed, children, DETR.KeptSettings(a), twoStage);
    }

    /// <summary>
    /// The parts before DeformableDETR's own layers: backbone, neck, bbox_head (given share_pred_layer, num_pred_layer
    /// and as_two_stage as DeformableDETR sets them), positional_encoding, encoder and the given decoder type.
    /// </summary>
    internal static List<KeyValuePair<string, nn.Module>> Parts(ModuleArguments a, string decoder, out long embed)
    {
        bool refine = a.Bool("with_box_refine"), twoStage = a.Bool("as_two_stage");
        var decoderCfg = DetrTransformerLayers.Map(a, "decoder");
        long decoderLayers = Convert.ToInt64(decoderCfg["num_layers"] ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        var head = Detectors.WithTrainTest(DetrTransformerLayers.Map(a, "bbox_head"), a.Raw("train_cfg"), a.Raw("test_cfg"));
        head.Set("share_pred_layer", !refine);
        head.Set("num_pred_layer", twoStage ? decoderLayers + 1 : decoderLayers);
        head.Set("as_two_stage", twoStage);
        return DETR.Parts(a, head, "DeformableDetrTransformerEncoder", decoder, out embed);
    }

    // The start of DeformableDETR's and DINO's init_weights: the default procedure, xavier_uniform_ on the encoder's and
    // decoder's matrices, then every MultiScaleDeformableAttention's own init_weights again.
    internal static void InitializeCoders(nn.Module detector, InitContext context)
    {
        context.InitializeDefault(detector);
        using var _ = no_grad();
        DETR.XavierCoders(detector, context.Generator);
        foreach (var m in detector.modules().OfType<MultiScaleDeformableAttention>()) m.InitWeights(context);
    }

    /// <summary>DeformableDETR's <c>init_weights</c>.</summary>
    public override void InitWeights(InitContext context)
    {
        InitializeCoders(this, context);
        using var _ = no_grad();
        var byName = named_children().ToDictionary(c => c.name, c => c.module);
        if (_twoStage)
        {
            DETR.XavierUniform(((Linear)byName["memory_trans_fc"]).weight!, context.Generator);
            DETR.XavierUniform(((Linear)byName["pos_trans_fc"]).weight!, context.Generator);
        }
        else
        {
            var fc = (Linear)byName["reference_points_fc"];
            DETR.XavierUniform(fc.weight!, context.Generator);
            fc.bias?.zero_();
        }
        ParallelDraws.Normal(level_embed, 0, 1, context.Generator);
    }
}
