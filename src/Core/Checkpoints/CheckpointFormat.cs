#nullable enable
namespace InitCfg.Core.Checkpoints;

/// <summary>Checkpoint file formats.</summary>
public enum CheckpointFormat
{
    /// <summary>PyTorch's zip format (<c>torch.save</c> since 1.6): <c>.pth</c>, <c>.pt</c>.</summary>
    PyTorch,
    /// <summary>Hugging Face safetensors.</summary>
    Safetensors,
    /// <summary>TorchSharp's <c>Module.save</c> format: <c>.dat</c>.</summary>
    TorchSharp,
}
