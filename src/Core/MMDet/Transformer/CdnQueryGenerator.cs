#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Errors;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.Transformer;

/// <summary>
/// MMDetection 3.3's <c>CdnQueryGenerator</c> (dino_layers.py), DINO's denoising query generator: a BaseModule whose
/// only layer is <c>label_embedding</c> (nn.Embedding(num_classes, embed_dims), drawn at construction). Its noise
/// scales and grouping are kept as config (they shape no parameter).
/// </summary>
public static class CdnQueryGenerator
{
    /// <summary>The constructor arguments, MMDetection's names and defaults (DINO fills the first three).</summary>
    public static readonly S[] Arguments =
    {
        new("num_classes", K.Int, null, "Classes of the embedded labels (DINO gives its head's).", Required: true),
        new("embed_dims", K.Int, null, "Width of the queries (DINO gives its encoder's).", Required: true),
        new("num_matching_queries", K.Int, null, "Matching queries (DINO gives its num_queries).", Required: true),
        new("label_noise_scale", K.Number, 0.5), new("box_noise_scale", K.Number, 1.0),
        new("group_cfg", K.Ignored, null, "Denoising groups: dict(dynamic=True, num_dn_queries=100) or dict(dynamic=False, num_groups=N).", Nullable: true),
    };

    /// <summary>Builds the generator, after checking group_cfg as MMDetection's constructor does.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        var group = SubConfig.Of(a.Raw("group_cfg"), a.Path.Key("group_cfg"));
        if (group is not null)
        {
            bool dynamic = group.Bool("dynamic", true);
            if (!dynamic && !group.Has("num_groups"))
                throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("group_cfg").ToString(), "num_groups should be set when using static dn groups.");
            // Read for the type check only: MMDetection asserts an int for the key its grouping uses.
            _ = dynamic ? group.Int("num_dn_queries", 100) : group.Int("num_groups", 0);
        }
        var settings = new Configs.ConfigMap();
        foreach (var key in new[] { "num_matching_queries", "label_noise_scale", "box_noise_scale", "group_cfg" }) settings.Set(key, a.Raw(key));
        return new MMDetModule("CdnQueryGenerator", new KeyValuePair<string, nn.Module>[]
        {
            new("label_embedding", nn.Embedding(a.Int("num_classes"), a.Int("embed_dims"))),
        }, settings);
    }
}
