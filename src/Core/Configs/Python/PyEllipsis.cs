#nullable enable
namespace InitCfg.Core.Configs.Python;

/// <summary>Python's <c>...</c> value.</summary>
internal sealed class PyEllipsis
{
    public static PyEllipsis Value { get; } = new();

    private PyEllipsis() { }

    public override string ToString() => "Ellipsis";
}
