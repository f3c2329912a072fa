#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.Initializers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.DenseHeads;

/// <summary>
/// MMDetection 3.3's <c>DeformableDETRHead</c>: <c>cls_branches</c> (Linear) and <c>reg_branches</c> (Sequential of
/// Linear, ReLU ..., Linear to 4), <c>num_pred_layer</c> of each: one module repeated when <c>share_pred_layer</c>
/// (as MMDetection's list of the same object), deep copies otherwise. Its own <c>init_weights</c>: the classifier
/// biases from prior 0.01 with a sigmoid loss, the last regression Linear 0 with the first one's bias[2:] = -2
/// (and every bias[2:] = 0 again in two-stage mode). DINO's <c>DINOHead</c> is this head under its own class name (it
/// adds no layer and no init_weights).
/// </summary>
public sealed class DeformableDETRHead : MMDetModule
{
    private readonly bool _sigmoid, _twoStage;

    private DeformableDETRHead(string className, IReadOnlyList<string> baseClassNames, IEnumerable<KeyValuePair<string, nn.Module>> children,
        Configs.ConfigMap settings, bool sigmoid, bool twoStage) : base(className, children, settings, baseClassNames)
    {
        _sigmoid = sigmoid;
        _twoStage = twoStage;
    }

    /// <summary>DETRHead's arguments, plus share_pred_layer, num_pred_layer and as_two_stage.</summary>
    public static readonly S[] Arguments = DETRHead.Arguments.Concat(new S[]
    {
        new("share_pred_layer", K.Bool, false), new("num_pred_layer", K.Int, 6L), new("as_two_stage", K.Bool, false),
    }).ToArray();

    /// <summary>Builds the head.</summary>
    public static nn.Module Build(ModuleArguments a) => Build(a, "DeformableDETRHead", new[] { "DETRHead", "BaseModule" });

    /// <summary>
    /// Builds the head as <paramref name="className"/> with <paramref name="baseClassNames"/> (its Python bases, as
    /// init_cfg's <c>layer</c> matches them): DeformableDETRHead, or a subclass without layers of its own (DINOHead).
    /// </summary>
    public static nn.Module Build(ModuleArguments a, string className, IReadOnlyList<string> baseClassNames)
    {
        long embed = a.Int("embed_dims"), fcs = a.Int("num_reg_fcs"), n = a.Int("num_pred_layer");
        long cls = HeadShapes.ClsOutChannels(a);
        var fcCls = nn.Linear(embed, cls);
        var reg = new List<nn.Module>();
        for (long i = 0; i < fcs; i++) { reg.Add(nn.Linear(embed, embed)); reg.Add(nn.ReLU()); }
        reg.Add(nn.Linear(embed, 4));
        var regBranch = Sequential(reg);
        bool share = a.Bool("share_pred_layer");
        var clsBranches = new List<nn.Module>();
        var regBranches = new List<nn.Module>();
        for (long i = 0; i < n; i++)
        {
            clsBranches.Add(share ? fcCls : Copy(fcCls));
            regBranches.Add(share ? regBranch : CopySequential(regBranch));
        }
        var settings = new Configs.ConfigMap();
        foreach (var key in new[] { "loss_cls", "loss_bbox", "loss_iou", "train_cfg", "test_cfg" }) settings.Set(key, a.Raw(key));
        var loss = SubConfig.Of(a.Raw("loss_cls"), a.Path.Key("loss_cls"));
        return new DeformableDETRHead(className, baseClassNames, new KeyValuePair<string, nn.Module>[]
        {
            new("cls_branches", nn.ModuleList(clsBranches.ToArray())),
            new("reg_branches", nn.ModuleList(regBranches.ToArray())),
        }, settings, loss is not null && loss.Bool("use_sigmoid", false), a.Bool("as_two_stage"));
    }

    // copy.deepcopy of a Linear: same values, and no draw (the generator is put back after the new Linear's own).
    private static Linear Copy(Linear l)
    {
        Linear c;
        using (var saved = get_rng_state())
        {
            c = nn.Linear(l.in_features, l.out_features, l.bias is not null);
            set_rng_state(saved);
        }
        using var _ = no_grad();
        c.weight!.copy_(l.weight!);
        c.bias?.copy_(l.bias!);
        return c;
    }

    private static nn.Module CopySequential(nn.Module s) =>
        Sequential(s.named_children().Select(c => c.module is Linear l ? (nn.Module)Copy(l) : nn.ReLU()).ToList());

    // torch.nn.Sequential (not MMEngine's), as MMDetection builds the branches.
    private static nn.Module Sequential(List<nn.Module> items) =>
        nn.Sequential(items.Select((m, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), (nn.Module<Tensor, Tensor>)m)).ToArray());

    /// <summary>DeformableDETRHead's <c>init_weights</c> (no draws).</summary>
    public override void InitWeights(InitContext context)
    {
        using var _ = no_grad();
        var cls = named_children().First(c => c.name == "cls_branches").module.named_children().Select(c => (Linear)c.module).ToList();
        var reg = named_children().First(c => c.name == "reg_branches").module.named_children().Select(c => (Linear)c.module.named_children().Last().module).ToList();
        if (_sigmoid)
            foreach (var l in cls) l.bias?.Fill(InitializerBase.BiasForProbability(0.01));
        foreach (var l in reg)
        {
            l.weight!.Fill(0);
            l.bias?.Fill(0);
        }
        reg[0].bias![TensorIndex.Slice(2)].Fill(-2.0);
        if (_twoStage)
            foreach (var l in reg) l.bias![TensorIndex.Slice(2)].Fill(0.0);
    }
}
