#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.MMDet.Transformer;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.Detectors;

/// <summary>
/// MMDetection 3.3's <c>DETR</c> detector, in its order: <c>backbone</c>, <c>neck</c>, <c>bbox_head</c> (given
/// train_cfg and test_cfg), <c>positional_encoding</c> (SinePositionalEncoding), <c>encoder</c>
/// (DetrTransformerEncoder), <c>decoder</c> (DetrTransformerDecoder), <c>query_embedding</c> (Embedding drawn at
/// construction). Its <c>init_weights</c>: the default procedure, then xavier_uniform_ on every encoder and decoder
/// parameter with more than one dimension (after MMEngine has labelled the parameters, so MMEngine's labels of those
/// stay "The value is the same ...").
/// </summary>
public sealed class DETR : MMDetModule
{
    private DETR(IEnumerable<KeyValuePair<string, nn.Module>> children, ConfigMap settings) : base("DETR", children, settings) { }

    /// <summary>The constructor arguments, MMDetection's names and defaults.</summary>
    public static readonly S[] Arguments =
    {
        new("backbone", K.Ignored, null, "The backbone config.", Required: true),
        new("neck", K.Ignored, null, "The neck config.", Nullable: true),
        new("encoder", K.Ignored, null, "DetrTransformerEncoder's arguments (num_layers, layer_cfg).", Required: true),
        new("decoder", K.Ignored, null, "DetrTransformerDecoder's arguments (num_layers, layer_cfg, post_norm_cfg).", Required: true),
        new("bbox_head", K.Ignored, null, "The head config (DETRHead).", Required: true),
        new("positional_encoding", K.Ignored, null, "SinePositionalEncoding's arguments (num_feats, normalize...).", Required: true),
        new("num_queries", K.Int, 100L),
        new("train_cfg", K.Ignored, null, "Kept, and given to the head.", Nullable: true),
        new("test_cfg", K.Ignored, null, "Kept, and given to the head.", Nullable: true),
        new("data_preprocessor", K.Ignored, null, "Kept (its mean/std buffers are not saved in a state dict).", Nullable: true),
    };

    /// <summary>Builds the detector.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        var head = Detectors.WithTrainTest(DetrTransformerLayers.Map(a, "bbox_head"), a.Raw("train_cfg"), a.Raw("test_cfg"));
        var children = Parts(a, head, "DetrTransformerEncoder", "DetrTransformerDecoder", out long embed);
        children.Add(new("query_embedding", nn.Embedding(a.Int("num_queries"), embed)));
        return new DETR(children, KeptSettings(a));
    }

    /// <summary>
    /// DetectionTransformer's parts in its order: backbone, neck, bbox_head (<paramref name="head"/>), then the
    /// positional encoding, encoder and decoder of the given types; <paramref name="embed"/> is the encoder's embed_dims.
    /// </summary>
    internal static List<KeyValuePair<string, nn.Module>> Parts(ModuleArguments a, ConfigMap head, string encoder, string decoder, out long embed)
    {
        var children = new List<KeyValuePair<string, nn.Module>> { new("backbone", Detectors.Part(a, "backbone")!) };
        if (Detectors.Part(a, "neck") is { } neck) children.Add(new("neck", neck));
        children.Add(new("bbox_head", new ModelBuilder().Build(head, a.Path.Key("bbox_head"))));
        var pos = Typed(a, "positional_encoding", "SinePositionalEncoding");
        children.Add(new("positional_encoding", new ModelBuilder().Build(pos, a.Path.Key("positional_encoding"))));
        children.Add(new("encoder", new ModelBuilder().Build(Typed(a, "encoder", encoder), a.Path.Key("encoder"))));
        children.Add(new("decoder", new ModelBuilder().Build(Typed(a, "decoder", decoder), a.Path.Key("decoder"))));
        embed = DetrTransformerLayers.EmbedDims(children[^2].Value);
        long numFeats = Convert.ToInt64(pos["num_feats"], System.Globalization.CultureInfo.InvariantCulture);
        if (numFeats * 2 != embed)
            throw new InitCfgException(ErrorIds.InvalidArgumentValue, a.Path.Key("positional_encoding").Key("num_feats").ToString(),
                $"embed_dims should be exactly 2 times of num_feats. Found {embed} and {numFeats}.");
        return children;
    }

    internal static ConfigMap KeptSettings(ModuleArguments a)
    {
        var settings = new ConfigMap();
        foreach (var key in new[] { "data_preprocessor", "train_cfg", "test_cfg" }) settings.Set(key, a.Raw(key));
        return settings;
    }

    // MMDetection builds these parts by class, not through the registry: a type key is an unexpected argument there.
    private static ConfigMap Typed(ModuleArguments a, string key, string type)
    {
        var m = DetrTransformerLayers.Map(a, key).Without();
        if (m.Contains(ConfigKeys.Type))
            throw new InitCfgException(ErrorIds.UnknownArgument, a.Path.Key(key).Key(ConfigKeys.Type).ToString(),
                $"DETR builds its {key} as {type} itself: remove its 'type' (MMDetection would fail with an unexpected argument).");
        m.Set(ConfigKeys.Type, type);
        return m;
    }

    /// <summary>DETR's <c>init_weights</c>: the default procedure, then xavier_uniform_ (gain 1) on the encoder's and decoder's matrices.</summary>
    public override void InitWeights(InitContext context)
    {
        context.InitializeDefault(this);
        using var _ = no_grad();
        XavierCoders(this, context.Generator);
    }

    // for coder in encoder, decoder: for p in coder.parameters(): if p.dim() > 1: xavier_uniform_(p)
    internal static void XavierCoders(nn.Module detector, Generator? generator)
    {
        foreach (var coder in new[] { "encoder", "decoder" })
            foreach (var p in detector.named_children().First(c => c.name == coder).module.parameters())
                if (p.dim() > 1) XavierUniform(p, generator);
    }

    // torch.nn.init.xavier_uniform_ with gain 1, drawn as PyTorch draws it.
    internal static void XavierUniform(Tensor p, Generator? generator) => XavierInit.Fill(p, 1.0, "uniform", generator);
}
