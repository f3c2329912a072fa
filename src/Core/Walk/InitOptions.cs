#nullable enable
using InitCfg.Core.Configs;

namespace InitCfg.Core.Walk;

/// <summary>How to run <see cref="InitEngine.Initialize(TorchSharp.torch.nn.Module, InitOptions)"/>.</summary>
public sealed class InitOptions
{
    /// <summary>When set, becomes the model's top-level init_cfg (configs on submodules keep their priority).</summary>
    public object? InitCfg { get; init; }

    /// <summary>Seed of a dedicated generator (as torch.manual_seed); null draws from TorchSharp's default generator.</summary>
    public long? Seed { get; init; }

    /// <summary>Re-initialize modules already marked initialized.</summary>
    public bool Force { get; init; }

    /// <summary>Turn warnings into errors (raised before any change).</summary>
    public bool Strict { get; init; }

    /// <summary>
    /// Also initialize modules MMEngine's walk does not reach (inside plain layers and plain PyTorch containers
    /// such as an nn.ModuleList); by default they are left alone, with a warning for each one that has an init_cfg.
    /// </summary>
    public bool IncludeUnreached { get; init; }

    /// <summary>
    /// Whether the confirmation callback may wait for a person (a -Confirm prompt). Only then is the model's lock let
    /// go while it runs; a callback that answers at once runs under the lock, so two calls never interleave.
    /// </summary>
    public bool ConfirmMayWait { get; init; } = true;

    /// <summary>The default of <see cref="UndoMemoryLimit"/>: 512 MiB, which holds common detectors (ResNet-50 is 98 MB).</summary>
    public const long DefaultUndoMemoryLimit = 512L << 20;

    /// <summary>
    /// Bytes of undo copies (what the call overwrites, kept until it commits so a failure puts everything back) held
    /// in memory; copies beyond it are written to a temp file, deleted when the call ends, so a model near the RAM
    /// limit is not held twice.
    /// </summary>
    public long UndoMemoryLimit { get; init; } = DefaultUndoMemoryLimit;

    /// <summary>Folder of the temp file for undo copies beyond <see cref="UndoMemoryLimit"/>; null for the system's temp folder.</summary>
    public string? UndoFolder { get; init; }

    /// <summary>Where checkpoints are found.</summary>
    public Initializers.InitEnvironment? Environment { get; init; }

    /// <summary>Cancels the wait for the model's lock (another call is using the model).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Receives progress as parameters are written.</summary>
    public IProgress<InitProgress>? Progress { get; init; }

    /// <summary>
    /// A folder to write the initialized state dict into, as Hugging Face's sharded safetensors (shards of at most
    /// <see cref="OutputShardSize"/> bytes and <c>model.safetensors.index.json</c>), all or nothing. Required for a
    /// lazy model (<see cref="LazyModel"/>), which is initialized module by module straight into the shards;
    /// <see cref="Force"/> also lets it replace a checkpoint already in the folder.
    /// </summary>
    public string? OutputPath { get; init; }

    /// <summary>The most bytes of tensor data in one shard of <see cref="OutputPath"/>; by default 5 GB, as transformers' save_pretrained.</summary>
    public long OutputShardSize { get; init; } = DefaultShardSize;

    /// <summary>The default of <see cref="OutputShardSize"/>: transformers' "5GB" (5 * 10^9 bytes).</summary>
    public const long DefaultShardSize = 5_000_000_000;

    /// <summary>Bytes of tensor data written to <see cref="OutputPath"/> so far.</summary>
    public IProgress<long>? OutputProgress { get; init; }
}
