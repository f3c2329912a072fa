using InitCfg.Core.Checkpoints;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Reports;

/// <summary>Small initialized models shared by the report writer tests.</summary>
internal static class ReportTestModels
{
    /// <summary>conv (Kaiming), bn (Constant 1), fc (Normal std=0.01, bias_prob=0.01); configs on the root.</summary>
    public static nn.Module Initialized()
    {
        var model = Net("ToyNet", ("conv", nn.Conv2d(3, 8, 3)), ("bn", nn.BatchNorm2d(8)), ("fc", nn.Linear(8, 4)));
        Init(model, List(
            Cfg("type", "Kaiming", "layer", "Conv2d"),
            Cfg("type", "Constant", "val", 1, "layer", "_BatchNorm"),
            Cfg("type", "Normal", "std", 0.01, "bias_prob", 0.01, "layer", "Linear")));
        return model;
    }

    /// <summary>A Linear loaded from a checkpoint with one key the model lacks (an unexpected key).</summary>
    public static nn.Module Loaded(string folder)
    {
        var source = Net("Src", ("fc", nn.Linear(4, 2)), ("extra", nn.Linear(2, 2)));
        var file = Path.Combine(folder, "src.safetensors");
        CheckpointFile.Write(file, ModuleState.ForExport(source), CheckpointFormat.Safetensors, overwrite: true);
        var model = Net("Dst", ("fc", nn.Linear(4, 2)));
        Init(model, Cfg("type", "Pretrained", "checkpoint", file));
        return model;
    }
}
