#nullable enable
namespace InitCfg.Core.Configs.Python;

/// <summary>
/// Something a config can call: a built-in (<c>dict</c>, <c>range</c>, <c>copy.deepcopy</c>), a method bound to
/// a value (<c>model.update</c>), or an inert definition (a <c>def</c>, <c>class</c> or <c>lambda</c>) that is
/// refused when called. <see cref="Module"/> marks a module object, which is never a config key.
/// </summary>
internal sealed record PyCallable(string Name, object? Self = null, bool Inert = false, bool Module = false)
{
    /// <summary>Where an inert definition was written, for the error when it is used.</summary>
    public string? Where { get; init; }

    public override string ToString() => Module ? $"<module '{Name}'>" : Inert ? $"<function {Name}>" : $"<built-in {Name}>";
}
