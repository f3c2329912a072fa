#nullable enable
using InitCfg.Core.Configs;

namespace InitCfg.Core.Initializers;

/// <summary>A registered initializer type: its name, arguments and how to build it.</summary>
public sealed class InitializerDescriptor : TypeDescriptor
{
    /// <summary>Creates a descriptor.</summary>
    public InitializerDescriptor(string type, string description, IReadOnlyList<ArgumentSpec> arguments,
        Func<InitArguments, Initializer> factory, bool runsAfterChildren = false, bool takesBiasArguments = true)
        : base(type, description, takesBiasArguments ? arguments.Concat(CommonArguments).ToArray() : arguments)
    {
        OwnArguments = arguments;
        Factory = factory;
        RunsAfterChildren = runsAfterChildren;
    }

    /// <summary>The initializer's own arguments.</summary>
    public IReadOnlyList<ArgumentSpec> OwnArguments { get; }

    /// <summary>Builds the initializer from validated arguments.</summary>
    public Func<InitArguments, Initializer> Factory { get; }

    /// <summary>True for initializers that, like Pretrained, run after a module's children so their values win.</summary>
    public bool RunsAfterChildren { get; }

    private static readonly ArgumentSpec LayerArgument =
        new("layer", ArgumentKind.TextList, null, "Layer-type names to initialize (class or direct base names).", Nullable: true);

    /// <summary>The arguments every initializer but Pretrained takes.</summary>
    public static readonly IReadOnlyList<ArgumentSpec> CommonArguments = new[]
    {
        new ArgumentSpec("bias", ArgumentKind.Number, 0L, "Value the bias is filled with."),
        new ArgumentSpec("bias_prob", ArgumentKind.Number, null, "Prior probability; sets bias = -log((1-p)/p).", Nullable: true),
        LayerArgument,
    };
}
