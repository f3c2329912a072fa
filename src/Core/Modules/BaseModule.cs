#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Configs;
using static TorchSharp.torch;

namespace InitCfg.Core.Modules;

/// <summary>
/// Base class for C# modules that carry an <c>init_cfg</c>, like MMEngine's <c>BaseModule</c>. Override
/// <see cref="InitWeights"/> to take over initialization of this module and its subtree (call
/// <see cref="InitContext.InitializeDefault"/> to run the default procedure as part of it).
/// </summary>
public abstract class BaseModule : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module with a TorchSharp name.</summary>
    protected BaseModule(string name, object? initCfg = null) : base(name)
    {
        if (initCfg is not null) InitCfg = initCfg;
    }

    /// <summary>This module's own init_cfg: InitConfig objects, dictionaries or a list of them; validated at init time.</summary>
    public object? InitCfg
    {
        get => InitAttachment.GetConfig(this);
        set => InitAttachment.SetConfig(this, value);
    }

    /// <summary>True once initialized (MMEngine's <c>is_init</c>).</summary>
    public bool IsInit
    {
        get => InitAttachment.IsInitialized(this);
        set => InitAttachment.SetInitialized(this, value);
    }

    /// <summary>Initializes this module; the default applies init_cfg, then children, then Pretrained configs.</summary>
    public virtual void InitWeights(InitContext context) => context.InitializeDefault(this);

    /// <summary>True when a subclass replaced <see cref="InitWeights"/>.</summary>
    internal bool HasUserInitWeights =>
        GetType().GetMethod(nameof(InitWeights), new[] { typeof(InitContext) })!.DeclaringType != typeof(BaseModule);

    /// <summary>Containers and composites have no forward of their own unless a subclass defines one.</summary>
    public override Tensor forward(Tensor input) =>
        throw new NotSupportedException($"{GetType().Name} has no forward; it only holds submodules.");
}
