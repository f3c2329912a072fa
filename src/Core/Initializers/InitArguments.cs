#nullable enable
using InitCfg.Core.Configs;

namespace InitCfg.Core.Initializers;

/// <summary>Validated arguments of one initializer, defaults filled in, keyed by MMEngine's spelling.</summary>
public sealed class InitArguments : ArgumentValues
{
    internal InitArguments(InitializerDescriptor descriptor, IReadOnlyDictionary<string, object?> values, ConfigMap given,
        IReadOnlyList<string> layers, bool wholeModule, ConfigPath path) : base(values, path, 0)
    {
        Descriptor = descriptor;
        Given = given.AsReadOnly();
        Layers = layers;
        WholeModule = wholeModule;
    }

    /// <summary>The initializer type.</summary>
    public InitializerDescriptor Descriptor { get; }

    /// <summary>The arguments as given in the config (canonical names), for records and catalogs; read-only.</summary>
    public ConfigMap Given { get; }

    /// <summary>Layer-type names to match.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>True for an override: every submodule with a weight or bias is initialized.</summary>
    public bool WholeModule { get; }
}
