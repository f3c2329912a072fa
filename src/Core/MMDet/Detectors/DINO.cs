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
/// MMDetection 3.3's <c>DINO</c> (a DeformableDETR that must refine boxes and run two stages): its own
/// <c>level_embed</c>, then <c>backbone</c>, <c>neck</c>, <c>bbox_head</c> (DINOHead, copied branches, decoder layers
/// + 1), <c>positional_encoding</c>, <c>encoder</c> (DeformableDetrTransformerEncoder), <c>decoder</c>
/// (DinoTransformerDecoder), <c>query_embedding</c> (Embedding(num_queries, embed_dims): content queries only),
/// <c>memory_trans_fc</c>, <c>memory_trans_norm</c> and last <c>dn_query_generator</c> (CdnQueryGenerator from dn_cfg,
/// given the head's num_classes, embed_dims and num_queries). Its <c>init_weights</c> skips DeformableDETR's: the
/// default procedure, xavier_uniform_ on the encoder's and decoder's matrices, every MultiScaleDeformableAttention's
/// init_weights again, xavier_uniform_ on memory_trans_fc.weight and query_embedding.weight, normal_ on level_embed.
/// </summary>
public sealed class DINO : MMDetModule
{
    private readonly Parameter level_embed;

    private DINO(Parameter levelEmbed, IEnumerable<KeyValuePair<string, nn.Module>> children, ConfigMap settings)
        : base("DINO", Array.Empty<KeyValuePair<string, nn.Module>>(), settings, new[] { "DeformableDETR", "BaseModule" })
    {
        register_parameter(nameof(level_embed), level_embed = levelEmbed);
        foreach (var (name, child) in children) register_module(name, child);
    }

    /// <summary>DeformableDETR's arguments plus dn_cfg.</summary>
    public static readonly S[] Arguments = DeformableDETR.Arguments.Concat(new S[]
    {
        new("dn_cfg", K.Ignored, null, "CdnQueryGenerator's arguments (label_noise_scale, box_noise_scale, group_cfg).", Nullable: true),
    }).ToArray();

    /// <summary>Builds the detector.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        // DINO's own asserts, before anything is built.
        foreach (var flag in new[] { "as_two_stage", "with_box_refine" })
            if (!a.Bool(flag)) throw a.Invalid(flag, $"{flag} must be True for DINO.");
        if (a.Raw("dn_cfg") is not ConfigMap dn)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("dn_cfg").ToString(),
                $"dn_cfg must be a dict (DINO builds CdnQueryGenerator(**dn_cfg)), but got {PyRepr.TypeAndValue(a.Raw("dn_cfg"))}.");
        foreach (var key in new[] { "num_classes", "num_queries", "hidden_dim" })
            if (dn.Contains(key))
                throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("dn_cfg").Key(key).ToString(),
                    "num_classes, embed_dims and num_matching_queries of dn_cfg are set by DINO itself: remove it.");
        var children = DeformableDETR.Parts(a, "DinoTransformerDecoder", out long embed);
        children.Add(new("query_embedding", nn.Embedding(a.Int("num_queries"), embed)));
        // torch.Tensor(levels, embed): no draw; init_weights overwrites it with normal_.
        var levelEmbed = new Parameter(zeros(a.Int("num_feature_levels"), embed));
        children.Add(new("memory_trans_fc", nn.Linear(embed, embed)));
        children.Add(new("memory_trans_norm", nn.LayerNorm(embed)));
        var generator = dn.Without();
        generator.Set("num_classes", DetrTransformerLayers.Map(a, "bbox_head")["num_classes"]);
        generator.Set("embed_dims", embed);
        generator.Set("num_matching_queries", a.Int("num_queries"));
        generator.Set(ConfigKeys.Type, "CdnQueryGenerator");
        children.Add(new("dn_query_generator", new ModelBuilder().Build(generator, a.Path.Key("dn_cfg"))));
        var settings = DETR.KeptSettings(a);
        return new DINO(levelEmbed, children, settings);
    }

    /// <summary>DINO's <c>init_weights</c>.</summary>
    public override void InitWeights(InitContext context)
    {
        DeformableDETR.InitializeCoders(this, context);
        using var _ = no_grad();
        var byName = named_children().ToDictionary(c => c.name, c => c.module);
        DETR.XavierUniform(((Linear)byName["memory_trans_fc"]).weight!, context.Generator);
        DETR.XavierUniform(((Embedding)byName["query_embedding"]).weight!, context.Generator);
        ParallelDraws.Normal(level_embed, 0, 1, context.Generator);
    }
}
