#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.MMDet.Bricks;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.Transformer;

/// <summary>
/// MMDetection 3.3's DETR transformer (mmdet/models/layers/transformer/detr_layers.py): <c>DetrTransformerEncoder</c>
/// (<c>layers</c> of DetrTransformerEncoderLayer: <c>self_attn</c>, <c>ffn</c>, <c>norms</c> x2) and
/// <c>DetrTransformerDecoder</c> (<c>layers</c> of DetrTransformerDecoderLayer: <c>self_attn</c>, <c>cross_attn</c>,
/// <c>ffn</c>, <c>norms</c> x3; then <c>post_norm</c>). Attention is MMCV's MultiheadAttention (batch_first, as
/// MMDetection forces), FFN is MMCV's FFN, norms come from <c>norm_cfg</c>. None has an init_weights of its own.
/// </summary>
public static class DetrTransformerLayers
{
    /// <summary>Adds the encoder and decoder (and their layers) to <paramref name="registry"/>.</summary>
    public static void Register(ModuleRegistry registry)
    {
        registry.Register(new("DetrTransformerEncoder", "MMDetection's DETR encoder: layers (self_attn, ffn, norms).", EncoderArguments, a => Encoder(a.Int("num_layers"),
            Map(a, "layer_cfg"), a.Path.Key("layer_cfg"), a.Int("num_cp"))));
        registry.Register(new("DetrTransformerDecoder", "MMDetection's DETR decoder: layers (self_attn, cross_attn, ffn, norms), post_norm.", DecoderArguments,
            a => Decoder(a.Int("num_layers"), Map(a, "layer_cfg"), a.Path.Key("layer_cfg"), a.Raw("post_norm_cfg"), a.Path.Key("post_norm_cfg"))));
        registry.Register(new("DeformableDetrTransformerEncoder", "MMDetection's Deformable DETR encoder: layers (self_attn: MultiScaleDeformableAttention, ffn, norms).",
            EncoderArguments, a => DeformableEncoder(a.Int("num_layers"), Map(a, "layer_cfg"), a.Path.Key("layer_cfg"))));
        registry.Register(new("DeformableDetrTransformerDecoder", "MMDetection's Deformable DETR decoder: layers (self_attn, cross_attn: MultiScaleDeformableAttention, ffn, norms).",
            DeformableDecoderArguments,
            a => DeformableDecoder(a.Int("num_layers"), Map(a, "layer_cfg"), a.Path.Key("layer_cfg"), a.Raw("post_norm_cfg"), a.Path.Key("post_norm_cfg"))));
        registry.Register(new("DinoTransformerDecoder", "MMDetection's DINO decoder: Deformable DETR's layers, then ref_point_head (MLP) and norm (LayerNorm).",
            DeformableDecoderArguments,
            a => DinoDecoder(a.Int("num_layers"), Map(a, "layer_cfg"), a.Path.Key("layer_cfg"), a.Raw("post_norm_cfg"), a.Path.Key("post_norm_cfg"))));
    }

    /// <summary>Arguments of <c>DetrTransformerEncoder</c>.</summary>
    public static readonly S[] EncoderArguments =
    {
        new("num_layers", K.Int, null, Required: true), new("layer_cfg", K.Ignored, null, "Config of each DetrTransformerEncoderLayer.", Required: true),
        new("num_cp", K.Int, -1L, "Layers wrapped for checkpointing (no parameters)."),
    };

    /// <summary>Arguments of <c>DetrTransformerDecoder</c>.</summary>
    public static readonly S[] DecoderArguments =
    {
        new("num_layers", K.Int, null, Required: true), new("layer_cfg", K.Ignored, null, "Config of each DetrTransformerDecoderLayer.", Required: true),
        new("post_norm_cfg", K.Ignored, SubConfig.Dict(("type", "LN")), "Norm after the last layer (a dict: MMCV refuses None here).", Nullable: true),
        new("return_intermediate", K.Bool, true, "Returns every layer's output (no parameters)."),
    };

    // Deformable DETR's and DINO's decoders refuse a post_norm_cfg.
    private static readonly S[] DeformableDecoderArguments =
        DecoderArguments.Select(x => x.Name == "post_norm_cfg" ? x with { Default = null, Description = "Must be None." } : x).ToArray();

    /// <summary>Builds <c>DetrTransformerEncoder(num_layers, layer_cfg, num_cp)</c>.</summary>
    public static MMDetModule Encoder(long numLayers, ConfigMap layerCfg, ConfigPath path, long numCp = -1)
    {
        if (numCp > numLayers)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, path.ToString(), $"num_cp ({numCp}) must not exceed num_layers ({numLayers}).");
        var layers = new List<nn.Module>();
        for (long i = 0; i < numLayers; i++) layers.Add(Layer("DetrTransformerEncoderLayer", layerCfg, path, new[] { ("self_attn_cfg", Mha) }, 2));
        return new MMDetModule("DetrTransformerEncoder", new KeyValuePair<string, nn.Module>[] { new("layers", new Modules.MMEngineModuleList(layers)) });
    }

    /// <summary>Builds <c>DetrTransformerDecoder(num_layers, layer_cfg, post_norm_cfg)</c>.</summary>
    public static MMDetModule Decoder(long numLayers, ConfigMap layerCfg, ConfigPath path, object? postNormCfg, ConfigPath postNormPath)
    {
        var layers = new List<nn.Module>();
        for (long i = 0; i < numLayers; i++) layers.Add(Layer("DetrTransformerDecoderLayer", layerCfg, path, new[] { ("self_attn_cfg", Mha), ("cross_attn_cfg", Mha) }, 3));
        var children = new List<KeyValuePair<string, nn.Module>> { new("layers", new Modules.MMEngineModuleList(layers)) };
        // MMCV's build_norm_layer refuses None (TypeError: cfg must be a dict), so DETR's decoder always has a post_norm.
        var norm = SubConfig.Of(postNormCfg, postNormPath)
            ?? throw new InitCfgException(ErrorIds.InvalidArgumentValue, postNormPath.ToString(), "post_norm_cfg must be a dict: DetrTransformerDecoder always builds post_norm.");
        children.Add(new("post_norm", MMCVLayers.Norm(norm, EmbedDims(layers[0])).Layer));
        return new MMDetModule("DetrTransformerDecoder", children);
    }

    /// <summary>Builds <c>DeformableDetrTransformerEncoder(num_layers, layer_cfg)</c>: self_attn is MultiScaleDeformableAttention.</summary>
    public static MMDetModule DeformableEncoder(long numLayers, ConfigMap layerCfg, ConfigPath path)
    {
        var layers = new List<nn.Module>();
        for (long i = 0; i < numLayers; i++) layers.Add(Layer("DeformableDetrTransformerEncoderLayer", layerCfg, path, new[] { ("self_attn_cfg", Msda) }, 2));
        return new MMDetModule("DeformableDetrTransformerEncoder", new KeyValuePair<string, nn.Module>[] { new("layers", new Modules.MMEngineModuleList(layers)) });
    }

    /// <summary>Builds <c>DeformableDetrTransformerDecoder(num_layers, layer_cfg)</c>: cross_attn is MultiScaleDeformableAttention, no post_norm.</summary>
    public static MMDetModule DeformableDecoder(long numLayers, ConfigMap layerCfg, ConfigPath path, object? postNormCfg, ConfigPath postNormPath) =>
        new("DeformableDetrTransformerDecoder", new KeyValuePair<string, nn.Module>[] { new("layers", DeformableDecoderLayers(numLayers, layerCfg, path, postNormCfg, postNormPath)) });

    /// <summary>
    /// Builds <c>DinoTransformerDecoder(num_layers, layer_cfg)</c>: Deformable DETR's layers, then <c>ref_point_head</c>
    /// (MLP(2 embed_dims, embed_dims, embed_dims, 2)) and <c>norm</c> (nn.LayerNorm), drawn in that order.
    /// </summary>
    public static MMDetModule DinoDecoder(long numLayers, ConfigMap layerCfg, ConfigPath path, object? postNormCfg, ConfigPath postNormPath)
    {
        var layers = DeformableDecoderLayers(numLayers, layerCfg, path, postNormCfg, postNormPath);
        long embed = EmbedDims(layers);
        return new MMDetModule("DinoTransformerDecoder", new KeyValuePair<string, nn.Module>[]
        {
            new("layers", layers), new("ref_point_head", Mlp(embed * 2, embed, embed, 2)), new("norm", nn.LayerNorm(embed)),
        });
    }

    /// <summary>
    /// MMDetection's <c>MLP(input_dim, hidden_dim, output_dim, num_layers)</c> (transformer/utils.py): a BaseModule whose
    /// <c>layers</c> is an MMEngine ModuleList of MMCV's Linear.
    /// </summary>
    public static MMDetModule Mlp(long inputDim, long hiddenDim, long outputDim, long numLayers)
    {
        var dims = new List<long> { inputDim };
        for (long i = 1; i < numLayers; i++) dims.Add(hiddenDim);
        dims.Add(outputDim);
        var linears = new List<nn.Module>();
        for (int i = 0; i + 1 < dims.Count; i++) linears.Add(MMCVWrapper.Linear(dims[i], dims[i + 1]));
        return new MMDetModule("MLP", new KeyValuePair<string, nn.Module>[] { new("layers", new Modules.MMEngineModuleList(linears)) });
    }

    private static Modules.MMEngineModuleList DeformableDecoderLayers(long numLayers, ConfigMap layerCfg, ConfigPath path, object? postNormCfg, ConfigPath postNormPath)
    {
        if (postNormCfg is not null)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, postNormPath.ToString(), "There is not post_norm in DeformableDetrTransformerDecoder: post_norm_cfg must be None.");
        var layers = new List<nn.Module>();
        for (long i = 0; i < numLayers; i++)
            layers.Add(Layer("DeformableDetrTransformerDecoderLayer", layerCfg, path, new[] { ("self_attn_cfg", Mha), ("cross_attn_cfg", Msda) }, 3));
        return new Modules.MMEngineModuleList(layers);
    }

    private const string Mha = "mmcv.MultiheadAttention", Msda = "MultiScaleDeformableAttention";

    /// <summary>The embed_dims of a built layer, encoder or decoder (its first attention's, as MMDetection passes it outward).</summary>
    public static long EmbedDims(nn.Module module) => module.modules().Prepend(module).Select(m => m switch
    {
        MMCVMultiheadAttention mha => mha.EmbedDims,
        MultiScaleDeformableAttention msda => msda.EmbedDims,
        _ => 0L,
    }).First(d => d > 0);

    // A DETR layer: its attentions (MMCV's MultiheadAttention, batch_first forced), then FFN, then the norms.
    private static MMDetModule Layer(string className, ConfigMap layerCfg, ConfigPath path, (string Key, string Type)[] attentions, int norms)
    {
        // The layer's constructor takes only these keywords; anything else is a TypeError in MMDetection.
        foreach (var key in layerCfg.Keys)
            if (!attentions.Any(x => x.Key == key) && key is not ("ffn_cfg" or "norm_cfg" or "init_cfg"))
                throw new InitCfgException(ErrorIds.UnknownArgument, path.Key(key).ToString(),
                    $"{className} got an unexpected argument '{key}'; it takes {string.Join(", ", attentions.Select(x => x.Key))}, ffn_cfg, norm_cfg, init_cfg.");
        var children = new List<KeyValuePair<string, nn.Module>>();
        var defaults = SubConfig.Dict(("embed_dims", 256L), ("num_heads", 8L), ("dropout", 0.0), ("batch_first", true));
        foreach (var (key, type) in attentions)
        {
            var cfg = WithDefaults(layerCfg[key], defaults, path.Key(key));
            if (!cfg.Contains("batch_first")) cfg.Set("batch_first", true); // as MMDetection: absent means True
            if (cfg["batch_first"] is not true)
                throw new InitCfgException(ErrorIds.InvalidArgumentValue, path.Key(key).Key("batch_first").ToString(),
                    "MMDetection's DETR layers need batch_first=True (first dimension is batch).");
            cfg.Set(ConfigKeys.Type, type);
            children.Add(new(key[..^4], new ModelBuilder().Build(cfg, path.Key(key))));
        }
        var ffn = WithDefaults(layerCfg["ffn_cfg"], SubConfig.Dict(("embed_dims", 256L), ("feedforward_channels", 1024L), ("num_fcs", 2L),
            ("ffn_drop", 0.0), ("act_cfg", SubConfig.Dict(("type", "ReLU"), ("inplace", true)))), path.Key("ffn_cfg"));
        ffn.Set(ConfigKeys.Type, "FFN");
        children.Add(new("ffn", new ModelBuilder().Build(ffn, path.Key("ffn_cfg"))));
        long embed = EmbedDims(children[0].Value);
        var normCfg = SubConfig.Of(layerCfg.Contains("norm_cfg") ? layerCfg["norm_cfg"] : SubConfig.Dict(("type", "LN")), path.Key("norm_cfg"))
            ?? throw new InitCfgException(ErrorIds.InvalidArgumentValue, path.Key("norm_cfg").ToString(), "norm_cfg must be a dict.");
        var list = new List<nn.Module>();
        for (int i = 0; i < norms; i++) list.Add(MMCVLayers.Norm(normCfg, embed).Layer);
        children.Add(new("norms", new Modules.MMEngineModuleList(list)));
        return new MMDetModule(className, children);
    }

    // MMDetection's layer defaults are whole dicts: a given dict replaces the default one (no merge).
    private static ConfigMap WithDefaults(object? given, ConfigMap defaults, ConfigPath path) => given switch
    {
        null => defaults,
        ConfigMap m => m.Without(),
        var v => throw new InitCfgException(ErrorIds.ConfigNotMapping, path.ToString(), $"{path} must be a dict, but got {PyRepr.TypeAndValue(v)}."),
    };

    internal static ConfigMap Map(ArgumentValues a, string key) => a.Raw(key) as ConfigMap
        ?? throw new InitCfgException(ErrorIds.ConfigNotMapping, a.Path.Key(key).ToString(), $"{key} must be a dict, but got {PyRepr.TypeAndValue(a.Raw(key))}.");
}
