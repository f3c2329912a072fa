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
/// MMCV's and MMDetection's transformer bricks, registered under their type names with their arguments and
/// defaults: <c>mmcv.MultiheadAttention</c> (MMCV's wrapper; plain <c>MultiheadAttention</c> is PyTorch's),
/// <c>FFN</c>, <c>AdaptivePadding</c>, <c>PatchEmbed</c>, <c>PatchMerging</c>, <c>SinePositionalEncoding</c>,
/// <c>LearnedPositionalEncoding</c>, <c>MultiScaleDeformableAttention</c>, and the <c>SwinTransformer</c> backbone built of them. Children are built in MMCV's order, so
/// a seeded build draws what MMCV's does.
/// </summary>
public static class TransformerBricks
{
    /// <summary>Adds every brick to <paramref name="registry"/>.</summary>
    public static void Register(ModuleRegistry registry)
    {
        registry.Register(new("mmcv.MultiheadAttention", "MMCV's MultiheadAttention brick: attn (PyTorch's MultiheadAttention), proj_drop, dropout_layer.",
            AttentionArguments, MultiheadAttention));
        registry.Register(new("FFN", "MMCV's FFN brick: layers (Sequential of Linear, activation, Dropout blocks; then Linear, Dropout), dropout_layer, gamma2.",
            FFNArguments, FFN));
        registry.Register(new("AdaptivePadding", "MMCV's AdaptivePadding (no parameters): pads so a kernel covers the whole input.",
            new S[] { new("kernel_size", K.Ints, 1L), new("stride", K.Ints, 1L), new("dilation", K.Ints, 1L), new("padding", K.Text, "corner", "'corner' or 'same'.") },
            a => new AdaptivePadding(Pair(a.Ints("kernel_size")), Pair(a.Ints("stride")), Pair(a.Ints("dilation")), a.Text("padding")), dimensions: 2));
        registry.Register(new("PatchEmbed", "MMCV's PatchEmbed: adaptive_padding, projection (conv), norm.", PatchEmbedArguments, PatchEmbed, dimensions: 2));
        registry.Register(new("PatchMerging", "MMCV's PatchMerging: adaptive_padding, sampler (nn.Unfold), norm, reduction (Linear).", PatchMergingArguments, PatchMerging, dimensions: 2));
        registry.Register(new("SinePositionalEncoding", "MMDetection's sine positional encoding (no parameters).",
            new S[]
            {
                new("num_feats", K.Int, null, Required: true), new("temperature", K.Int, 10000L), new("normalize", K.Bool, false),
                new("scale", K.Number, 2 * Math.PI), new("eps", K.Number, 1e-6), new("offset", K.Number, 0.0),
            },
            a => new MMDetModule("SinePositionalEncoding", Array.Empty<KeyValuePair<string, nn.Module>>())));
        registry.Register(new("LearnedPositionalEncoding", "MMDetection's learned positional encoding: row_embed, col_embed (Embedding; init_cfg Uniform on Embedding).",
            new S[] { new("num_feats", K.Int, null, Required: true), new("row_num_embed", K.Int, 50L), new("col_num_embed", K.Int, 50L) },
            a =>
            {
                var m = new MMDetModule("LearnedPositionalEncoding", new KeyValuePair<string, nn.Module>[]
                {
                    new("row_embed", nn.Embedding(a.Int("row_num_embed"), a.Int("num_feats"))),
                    new("col_embed", nn.Embedding(a.Int("col_num_embed"), a.Int("num_feats"))),
                });
                if (!a.InitCfgGiven) m.InitCfg = SubConfig.Dict(("type", "Uniform"), ("layer", "Embedding"));
                return m;
            }));
        registry.Register(new("SwinTransformer", "MMDetection's Swin Transformer backbone (patch_embed, stages of SwinBlocks and PatchMerging, norms); its own init_weights.",
            Backbones.Swin.SwinTransformer.Arguments, Backbones.Swin.SwinTransformer.Build));
        registry.Register(new("MultiScaleDeformableAttention", "MMCV's MultiScaleDeformableAttention: sampling_offsets, attention_weights, value_proj, output_proj; its own init_weights (forward needs an op TorchSharp lacks).",
            new S[]
            {
                new("embed_dims", K.Int, 256L), new("num_heads", K.Int, 8L), new("num_levels", K.Int, 4L), new("num_points", K.Int, 4L),
                new("im2col_step", K.Int, 64L), new("dropout", K.Number, 0.1), new("batch_first", K.Bool, false),
                new("norm_cfg", K.Ignored, null, "Unused by MMCV.", Nullable: true), new("value_proj_ratio", K.Number, 1.0),
            },
            a => Core.Transformer.TransformerModules.Checked(a, () => new MultiScaleDeformableAttention(a.Int("embed_dims"), a.Int("num_heads"), a.Int("num_levels"), a.Int("num_points"),
                a.Number("dropout"), a.Bool("batch_first"), a.Number("value_proj_ratio")))));
    }

    /// <summary>Arguments of MMCV's MultiheadAttention (its **kwargs go to nn.MultiheadAttention).</summary>
    public static readonly S[] AttentionArguments =
    {
        new("embed_dims", K.Int, null, Required: true), new("num_heads", K.Int, null, Required: true), new("attn_drop", K.Number, 0.0),
        new("proj_drop", K.Number, 0.0), new("dropout_layer", K.Ignored, SubConfig.Dict(("type", "Dropout"), ("drop_prob", 0.0)), "Dropout or DropPath config, or None.", Nullable: true),
        new("batch_first", K.Bool, false), new("bias", K.Bool, true), new("add_bias_kv", K.Bool, false), new("add_zero_attn", K.Bool, false),
        new("kdim", K.Int, null, Nullable: true), new("vdim", K.Int, null, Nullable: true),
        new("dropout", K.Number, null, "Deprecated: sets attn_drop and dropout_layer.drop_prob.", Nullable: true),
    };

    /// <summary>Builds MMCV's MultiheadAttention.</summary>
    public static nn.Module MultiheadAttention(ModuleArguments a)
    {
        double attnDrop = a.Number("attn_drop");
        var dropoutLayer = a.Raw("dropout_layer");
        if (a.Has("dropout"))
        {
            attnDrop = a.Number("dropout");
            if (dropoutLayer is ConfigMap m) { dropoutLayer = m.Without(); ((ConfigMap)dropoutLayer).Set("drop_prob", attnDrop); }
        }
        var attention = Core.Transformer.TransformerModules.Checked(a, () => new Core.Transformer.MultiheadAttention(a.Int("embed_dims"), a.Int("num_heads"), attnDrop, a.Bool("bias"),
            a.Bool("add_bias_kv"), a.Bool("add_zero_attn"), a.IntOrNull("kdim"), a.IntOrNull("vdim")));
        return new MMCVMultiheadAttention((Core.Transformer.MultiheadAttention)attention, a.Number("proj_drop"),
            Dropout(SubConfig.Of(dropoutLayer, a.Path.Key("dropout_layer"))), a.Bool("batch_first"));
    }

    /// <summary>Arguments of MMCV's FFN.</summary>
    public static readonly S[] FFNArguments =
    {
        new("embed_dims", K.Int, 256L), new("feedforward_channels", K.Int, 1024L), new("num_fcs", K.Int, 2L),
        new("act_cfg", K.Ignored, SubConfig.Dict(("type", "ReLU"), ("inplace", true)), "Activation config."), new("ffn_drop", K.Number, 0.0),
        new("dropout_layer", K.Ignored, null, "Dropout or DropPath config, or None.", Nullable: true), new("add_identity", K.Bool, true),
        new("layer_scale_init_value", K.Number, 0.0),
    };

    /// <summary>Builds MMCV's FFN.</summary>
    public static nn.Module FFN(ModuleArguments a)
    {
        long fcs = a.Int("num_fcs");
        if (fcs < 2) throw a.Invalid("num_fcs", $"num_fcs should be no less than 2, but got {fcs}.");
        var act = SubConfig.Of(a.Raw("act_cfg"), a.Path.Key("act_cfg"))
            ?? throw a.Invalid("act_cfg", "act_cfg must be a dict.");
        return CreateFFN(a.Int("embed_dims"), a.Int("feedforward_channels"), fcs, act, a.Number("ffn_drop"),
            Dropout(SubConfig.Of(a.Raw("dropout_layer"), a.Path.Key("dropout_layer"))), a.Number("layer_scale_init_value"), a.Bool("add_identity"));
    }

    /// <summary>MMCV's <c>FFN(embed_dims, feedforward_channels, num_fcs, act_cfg, ffn_drop, dropout_layer, add_identity, layer_scale_init_value)</c>.</summary>
    public static FFN CreateFFN(long embed, long hidden, long fcs, SubConfig act, double ffnDrop, nn.Module<Tensor, Tensor> dropoutLayer,
        double layerScale = 0, bool addIdentity = true)
    {
        var layers = new List<nn.Module>();
        long inCh = embed;
        for (long i = 0; i < fcs - 1; i++)
        {
            // build_activation_layer passes act_cfg as written: inplace only where the config says so.
            layers.Add(new Modules.MMEngineSequential(new nn.Module[] { nn.Linear(inCh, hidden), MMCVLayers.Activation(act, false), nn.Dropout(ffnDrop) }));
            inCh = hidden;
        }
        layers.Add(nn.Linear(hidden, embed));
        layers.Add(nn.Dropout(ffnDrop));
        return new FFN(new Modules.MMEngineSequential(layers), dropoutLayer, layerScale > 0 ? new LayerScale(embed, layerScale) : nn.Identity(), addIdentity);
    }

    /// <summary><c>build_dropout(cfg)</c>: MMCV's Dropout (drop_prob) or DropPath, or nn.Identity for None.</summary>
    public static nn.Module<Tensor, Tensor> Dropout(SubConfig? cfg) => cfg?.Type switch
    {
        null => nn.Identity(),
        "Dropout" => nn.Dropout(cfg.Float("drop_prob", 0.5), cfg.Bool("inplace", false)),
        "DropPath" => new DropPath(cfg.Float("drop_prob", 0.1)),
        var t => throw new InitCfgException(ErrorIds.InvalidArgumentValue, cfg.Path.Key(ConfigKeys.Type).ToString(),
            $"dropout_layer type '{t}' is not supported; supported: Dropout, DropPath."),
    };

    private static readonly S[] PatchEmbedArguments =
    {
        new("in_channels", K.Int, 3L), new("embed_dims", K.Int, 768L), new("conv_type", K.Text, "Conv2d"), new("kernel_size", K.Ints, 16L),
        new("stride", K.Ints, 16L, Nullable: true), new("padding", K.Ignored, "corner", "'corner', 'same' or an int."), new("dilation", K.Ints, 1L),
        new("bias", K.Bool, true), new("norm_cfg", K.Ignored, null, "Norm config or None.", Nullable: true),
        new("input_size", K.Ignored, null, "Kept by MMCV to compute init_out_size.", Nullable: true),
    };

    /// <summary>Builds MMCV's PatchEmbed.</summary>
    public static nn.Module PatchEmbed(ModuleArguments a)
    {
        var kernel = Pair(a.Ints("kernel_size"));
        return CreatePatchEmbed(a.Int("in_channels"), a.Int("embed_dims"), a.Text("conv_type"), kernel, a.Has("stride") ? Pair(a.Ints("stride")) : kernel,
            Padding(a), Pair(a.Ints("dilation")), a.Bool("bias"), SubConfig.Of(a.Raw("norm_cfg"), a.Path.Key("norm_cfg")), a.Path);
    }

    /// <summary>MMCV's <c>PatchEmbed</c>; <paramref name="padding"/> is 'corner'/'same' (an AdaptivePadding child) or a pair.</summary>
    public static MMDetModule CreatePatchEmbed(long inChannels, long embed, string convType, (long, long) kernel, (long, long) stride, object padding,
        (long, long) dilation, bool bias, SubConfig? norm, ConfigPath path)
    {
        var (pad, children) = AdaptivePaddingChild(padding, kernel, stride, dilation, path);
        children.Add(new("projection", MMCVLayers.Conv(new SubConfig(SubConfig.Dict(("type", convType)), path.Key("conv_type")),
            inChannels, embed, kernel, stride, pad, dilation, 1, bias)));
        if (norm is not null) children.Add(new("norm", MMCVLayers.Norm(norm, embed).Layer));
        return new MMDetModule("PatchEmbed", children);
    }

    private static readonly S[] PatchMergingArguments =
    {
        new("in_channels", K.Int, null, Required: true), new("out_channels", K.Int, null, Required: true), new("kernel_size", K.Ints, 2L),
        new("stride", K.Ints, null, Nullable: true), new("padding", K.Ignored, "corner", "'corner', 'same' or an int."), new("dilation", K.Ints, 1L),
        new("bias", K.Bool, false), new("norm_cfg", K.Ignored, SubConfig.Dict(("type", "LN")), "Norm config or None.", Nullable: true),
    };

    /// <summary>Builds MMCV's PatchMerging.</summary>
    public static nn.Module PatchMerging(ModuleArguments a)
    {
        var kernel = Pair(a.Ints("kernel_size"));
        return CreatePatchMerging(a.Int("in_channels"), a.Int("out_channels"), kernel, a.Has("stride") ? Pair(a.Ints("stride")) : kernel, Padding(a),
            Pair(a.Ints("dilation")), a.Bool("bias"), SubConfig.Of(a.Raw("norm_cfg"), a.Path.Key("norm_cfg")), a.Path);
    }

    /// <summary>MMCV's <c>PatchMerging</c>; <paramref name="padding"/> is 'corner'/'same' (an AdaptivePadding child) or a pair.</summary>
    public static MMDetModule CreatePatchMerging(long inChannels, long outChannels, (long, long) kernel, (long, long) stride, object padding,
        (long, long) dilation, bool bias, SubConfig? norm, ConfigPath path)
    {
        var (pad, children) = AdaptivePaddingChild(padding, kernel, stride, dilation, path);
        children.Add(new("sampler", nn.Unfold(kernel, dilation, pad, stride)));
        long sampleDim = kernel.Item1 * kernel.Item2 * inChannels;
        if (norm is not null) children.Add(new("norm", MMCVLayers.Norm(norm, sampleDim).Layer));
        children.Add(new("reduction", nn.Linear(sampleDim, outChannels, bias)));
        return new MMDetModule("PatchMerging", children);
    }

    // padding as written: 'corner'/'same', an int or two ints.
    private static object Padding(ModuleArguments a) => a.Raw("padding") switch
    {
        string s => s,
        long l => (l, l),
        IReadOnlyList<object?> { Count: 2 } l when l.All(x => x is long) => ((long)l[0]!, (long)l[1]!),
        var v => throw new InitCfgException(ErrorIds.InvalidArgumentType, a.Path.Key("padding").ToString(),
            $"padding must be 'corner', 'same', an int or two ints, but got {PyRepr.TypeAndValue(v)}."),
    };

    // A string padding becomes an AdaptivePadding child and 0; a pair is the layer's own padding.
    private static ((long, long) Padding, List<KeyValuePair<string, nn.Module>> Children) AdaptivePaddingChild(object padding, (long, long) kernel,
        (long, long) stride, (long, long) dilation, ConfigPath path)
    {
        var children = new List<KeyValuePair<string, nn.Module>>();
        if (padding is not string s) return (((long, long))padding, children);
        if (s is not ("corner" or "same"))
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, path.Key("padding").ToString(), $"padding must be 'same' or 'corner', but got '{s}'.");
        children.Add(new("adaptive_padding", new AdaptivePadding(kernel, stride, dilation, s)));
        return ((0, 0), children);
    }

    private static (long, long) Pair(long[] v) => v.Length == 1 ? (v[0], v[0]) : (v[0], v[1]);
}
