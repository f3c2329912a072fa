#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Modules;
using System.Management.Automation;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>
/// The properties InitCfg.types.ps1xml adds to every TorchSharp module, so a model at the prompt shows what a
/// PyTorch user looks for (class, parameter count and size, initialized, init_cfg) instead of only <c>training</c>.
/// Each is cheap (shapes and flags, no statistics), so the default view stays fast for resnet152.
/// </summary>
public static class ModuleMembers
{
    /// <summary>The class name, as reports and layer filters use it.</summary>
    public static string ClassName(PSObject instance) => LayerTypeNames.ClassName(ModuleOf(instance));

    /// <summary>Elements of every parameter of the module and its submodules (PyTorch's <c>sum(p.numel())</c>).</summary>
    public static long ParameterCount(PSObject instance) => ModuleOf(instance).parameters().Sum(p => p.numel());

    /// <summary>Bytes the parameters take.</summary>
    public static long ParameterBytes(PSObject instance) => ModuleOf(instance).parameters().Sum(p => p.numel() * p.element_size());

    /// <summary>True for a lazy model (New-InitModel -Lazy): tensors with shapes and no storage.</summary>
    public static bool Lazy(PSObject instance) => LazyModel.IsLazy(ModuleOf(instance));

    /// <summary>True once init_weights has run on the module.</summary>
    public static bool Initialized(PSObject instance) => InitAttachment.IsInitialized(ModuleOf(instance));

    /// <summary>
    /// The module's own init_cfg (null when it has none; any module can carry one), as InitConfig objects, which
    /// print in MMEngine's dict(...) form and go back into -InitCfg as they are. A config init_weights would refuse
    /// comes back as given (the config tree), so reading the property never throws.
    /// </summary>
    public static object? GetInitCfg(PSObject instance)
    {
        var config = InitAttachment.GetConfig(ModuleOf(instance));
        if (config is null) return null;
        try { return InitConfig.ParseList(config, ConfigPath.Root(ConfigKeys.InitCfg)).ToArray(); }
        catch (InitCfgException) { return config; }
    }

    /// <summary>Sets the module's own init_cfg (InitConfig objects, hashtables or a list of them; null clears it).</summary>
    public static void SetInitCfg(PSObject instance, object? value) =>
        InitAttachment.SetConfig(ModuleOf(instance), PSObjectUnwrapper.Unwrap(value));

    private static nn.Module ModuleOf(PSObject instance) => (nn.Module)instance.BaseObject;
}
