#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Initializers;
using InitCfg.Core.MMDet.Bricks;
using InitCfg.Core.MMDet.Transformer;
using TorchSharp.Modules;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.Backbones.Swin;

/// <summary>
/// MMDetection's <c>SwinTransformer</c> backbone: <c>patch_embed</c> (PatchEmbed), <c>absolute_pos_embed</c> when
/// enabled, <c>drop_after_pos</c>, <c>stages</c> (SwinBlockSequence: <c>blocks</c> of SwinBlock with <c>norm1</c>,
/// <c>attn.w_msa</c> (WindowMSA), <c>attn.drop</c>, <c>norm2</c>, <c>ffn</c>; then a PatchMerging <c>downsample</c>),
/// and <c>norm{i}</c> per output. Built in MMDetection's order (a stage's downsample draws before its blocks).
/// Its own <c>init_weights</c> without an init_cfg: trunc normal (std 0.02, bias 0) on every Linear and 1/0 on every
/// LayerNorm in module order, and the absolute position embedding trunc normal; children's init_weights do not run.
/// </summary>
public sealed class SwinTransformer : MMDetModule
{
    private readonly Parameter? absolute_pos_embed;

    private SwinTransformer(IEnumerable<KeyValuePair<string, nn.Module>> children, Parameter? absolutePosEmbed)
        : base("SwinTransformer", Array.Empty<KeyValuePair<string, nn.Module>>())
    {
        var list = children.ToList();
        register_module(list[0].Key, list[0].Value);
        if (absolutePosEmbed is not null) register_parameter(nameof(absolute_pos_embed), absolute_pos_embed = absolutePosEmbed);
        foreach (var (name, child) in list.Skip(1)) register_module(name, child);
    }

    /// <summary>The constructor arguments, MMDetection's names and defaults.</summary>
    public static readonly S[] Arguments =
    {
        new("pretrain_img_size", K.Ints, 224L), new("in_channels", K.Int, 3L), new("embed_dims", K.Int, 96L), new("patch_size", K.Int, 4L),
        new("window_size", K.Int, 7L), new("mlp_ratio", K.Int, 4L), new("depths", K.IntList, new object[] { 2L, 2L, 6L, 2L }),
        new("num_heads", K.IntList, new object[] { 3L, 6L, 12L, 24L }), new("strides", K.IntList, new object[] { 4L, 2L, 2L, 2L }),
        new("out_indices", K.IntList, new object[] { 0L, 1L, 2L, 3L }), new("qkv_bias", K.Bool, true),
        new("qk_scale", K.Number, null, "Overrides head_dim ** -0.5 (no parameter).", Nullable: true), new("patch_norm", K.Bool, true),
        new("drop_rate", K.Number, 0.0), new("attn_drop_rate", K.Number, 0.0), new("drop_path_rate", K.Number, 0.1),
        new("use_abs_pos_embed", K.Bool, false), new("act_cfg", K.Ignored, SubConfig.Dict(("type", "GELU")), "Activation of the FFNs."),
        new("norm_cfg", K.Ignored, SubConfig.Dict(("type", "LN")), "Norm config."), new("with_cp", K.Bool, false, "Checkpointing (no parameters)."),
        new("pretrained", K.Ignored, null, "Deprecated: use init_cfg=dict(type='Pretrained', checkpoint=...).", Nullable: true),
        new("convert_weights", K.Bool, false, "Converts an official Swin checkpoint's names (not done here)."),
        new("frozen_stages", K.Int, -1L, "Stages to freeze (requires_grad off)."),
    };

    /// <summary>Builds the backbone.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        long embed = a.Int("embed_dims"), patch = a.Int("patch_size"), window = a.Int("window_size"), mlp = a.Int("mlp_ratio");
        var depths = a.Ints("depths");
        var heads = a.Ints("num_heads");
        var strides = a.Ints("strides");
        var outIndices = a.Ints("out_indices");
        var img = a.Ints("pretrain_img_size");
        if (img.Length == 1) img = new[] { img[0], img[0] };
        if (strides[0] != patch) throw a.Invalid("strides", "Use non-overlapping patch embed: strides[0] must equal patch_size.");
        if (heads.Length != depths.Length || strides.Length != depths.Length)
            throw a.Invalid("depths", $"depths, num_heads and strides need one entry per stage, but got {depths.Length}, {heads.Length} and {strides.Length}.");
        if (outIndices.Any(i => i < 0 || i >= depths.Length)) throw a.Invalid("out_indices", $"out_indices must be stage indices below {depths.Length}.");
        if (a.Raw("pretrained") is not null && a.InitCfgGiven) throw a.Invalid("pretrained", "init_cfg and pretrained cannot be specified at the same time.");
        var norm = SubConfig.Of(a.Raw("norm_cfg"), a.Path.Key("norm_cfg")) ?? throw a.Invalid("norm_cfg", "norm_cfg must be a dict.");
        var act = SubConfig.Of(a.Raw("act_cfg"), a.Path.Key("act_cfg")) ?? throw a.Invalid("act_cfg", "act_cfg must be a dict.");
        bool patchNorm = a.Bool("patch_norm");

        var children = new List<KeyValuePair<string, nn.Module>>
        {
            new("patch_embed", TransformerBricks.CreatePatchEmbed(a.Int("in_channels"), embed, "Conv2d", (patch, patch), (strides[0], strides[0]), "corner",
                (1, 1), true, patchNorm ? norm : null, a.Path)),
        };
        Parameter? absPos = a.Bool("use_abs_pos_embed") ? new Parameter(zeros(1, (img[0] / patch) * (img[1] / patch), embed)) : null;
        children.Add(new("drop_after_pos", nn.Dropout(a.Number("drop_rate"))));
        long totalDepth = depths.Sum();
        float[] dpr;
        using (var rates = linspace(0, a.Number("drop_path_rate"), totalDepth)) dpr = rates.data<float>().ToArray(); // held while read
        var stages = new List<nn.Module>();
        long inCh = embed, offset = 0;
        for (int i = 0; i < depths.Length; i++)
        {
            // MMDetection builds a stage's PatchMerging before its blocks, so its reduction draws first.
            nn.Module? downsample = i < depths.Length - 1
                ? TransformerBricks.CreatePatchMerging(inCh, 2 * inCh, (2, 2), (strides[i + 1], strides[i + 1]), "corner", (1, 1), false, patchNorm ? norm : null, a.Path)
                : null;
            var blocks = new List<nn.Module>();
            for (int j = 0; j < depths[i]; j++)
                blocks.Add(Block(inCh, heads[i], mlp * inCh, window, a.Bool("qkv_bias"), a.Number("drop_rate"), a.Number("attn_drop_rate"), dpr[offset + j], act, norm));
            offset += depths[i];
            var stageChildren = new List<KeyValuePair<string, nn.Module>> { new("blocks", new Modules.MMEngineModuleList(blocks)) };
            if (downsample is not null) stageChildren.Add(new("downsample", downsample));
            stages.Add(new MMDetModule("SwinBlockSequence", stageChildren));
            if (downsample is not null) inCh *= 2;
        }
        children.Add(new("stages", new Modules.MMEngineModuleList(stages)));
        foreach (var i in outIndices)
        {
            var (_, layer) = MMCVLayers.Norm(norm, embed << (int)i);
            children.Add(new($"norm{i}", layer));
        }
        var swin = new SwinTransformer(children, absPos);
        if (a.Raw("pretrained") is string checkpoint) swin.InitCfg = SubConfig.Dict(("type", "Pretrained"), ("checkpoint", checkpoint));
        long frozen = a.Int("frozen_stages");
        if (frozen >= 0)
        {
            foreach (var p in children[0].Value.parameters()) p.requires_grad = false;
            if (absPos is not null) absPos.requires_grad = false;
            for (long s = 1; s <= frozen && s <= stages.Count; s++)
            {
                if (outIndices.Contains(s - 1)) foreach (var p in children.First(c => c.Key == $"norm{s - 1}").Value.parameters()) p.requires_grad = false;
                foreach (var p in stages[(int)s - 1].parameters()) p.requires_grad = false;
            }
        }
        return swin;
    }

    private static nn.Module Block(long embed, long heads, long hidden, long window, bool qkvBias, double drop, double attnDrop, double dropPath,
        SubConfig act, SubConfig norm)
    {
        var (_, norm1) = MMCVLayers.Norm(norm, embed);
        var attn = new MMDetModule("ShiftWindowMSA", new KeyValuePair<string, nn.Module>[]
        {
            new("w_msa", new WindowMSA(embed, heads, (window, window), qkvBias, attnDrop, drop)),
            new("drop", new DropPath(dropPath)),
        });
        var (_, norm2) = MMCVLayers.Norm(norm, embed);
        var ffn = TransformerBricks.CreateFFN(embed, hidden, 2, act, drop, new DropPath(dropPath));
        return new MMDetModule("SwinBlock", new KeyValuePair<string, nn.Module>[] { new("norm1", norm1), new("attn", attn), new("norm2", norm2), new("ffn", ffn) });
    }

    /// <summary>
    /// SwinTransformer's <c>init_weights</c>: without an init_cfg, trunc normal (std 0.02, a=-2, b=2) on the absolute
    /// position embedding, then over every module in PyTorch's <c>modules()</c> order, trunc normal with bias 0 on each
    /// Linear and weight 1, bias 0 on each LayerNorm. With an init_cfg (a Pretrained checkpoint), the default procedure.
    /// </summary>
    public override void InitWeights(InitContext context)
    {
        if (InitCfg is not null)
        {
            context.InitializeDefault(this);
            return;
        }
        using var _ = no_grad();
        if (absolute_pos_embed is not null) TruncNormalInit.Fill(absolute_pos_embed, 0, 0.02, -2, 2, context.Generator);
        foreach (var m in PreOrder(this))
        {
            if (m is Linear linear)
            {
                TruncNormalInit.Fill(linear.weight, 0, 0.02, -2, 2, context.Generator);
                linear.bias?.zero_();
            }
            else if (m is LayerNorm ln)
            {
                ln.weight?.Fill(1);
                ln.bias?.zero_();
            }
        }
    }

    // PyTorch's modules(): the module, then each child's subtree in registration order.
    private static IEnumerable<nn.Module> PreOrder(nn.Module module)
    {
        yield return module;
        foreach (var (_, child) in module.named_children())
            foreach (var m in PreOrder(child)) yield return m;
    }
}
