#nullable enable
using InitCfg.Core.Configs;
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>Fills the weight of one matched module; the engine then fills the bias with <c>bias</c>/<c>bias_prob</c>.</summary>
public delegate void WeightFill(nn.Module module, Tensor weight, InitArguments arguments, Generator? generator);

/// <summary>
/// A user-registered initializer given as a function (for example a PowerShell script block): layer matching,
/// overrides, bias and records work as for the built-in ones; only the weight fill is the user's.
/// </summary>
public sealed class DelegateInit : InitializerBase
{
    private readonly WeightFill _fill;
    private nn.Module? _current;

    /// <summary>Builds it from validated arguments and the user's fill.</summary>
    public DelegateInit(InitArguments args, WeightFill fill) : base(args) => _fill = fill;

    /// <inheritdoc />
    public override void Apply(nn.Module module, InitContext context)
    {
        _current = module;
        try { base.Apply(module, context); }
        catch (Exception e) when (e is not Errors.InitCfgException and not OperationCanceledException) // a stop stays a stop
        {
            var inner = e is System.Reflection.TargetInvocationException { InnerException: { } i } ? i : e;
            throw new Errors.InitCfgException(Errors.ErrorIds.UserInitFailed, Arguments.Path.ToString(),
                $"the {Type} initializer failed on {context.CurrentTargetPath switch { null or "" => "the model", var p => p }}: {inner.Message}", inner);
        }
        finally { _current = null; }
    }

    /// <inheritdoc />
    protected override void FillWeight(Tensor weight, Generator? generator) => _fill(_current!, weight, Arguments, generator);

    /// <inheritdoc />
    public override string Describe()
    {
        var own = Arguments.Descriptor.OwnArguments.Select(a => $"{a.Name}={PyRepr.Str(Arguments.Raw(a.Name))}");
        return $"{InfoName}: {string.Join(", ", own.Append(BiasText))}";
    }
}
