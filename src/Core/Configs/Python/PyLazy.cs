#nullable enable
namespace InitCfg.Core.Configs.Python;

/// <summary>
/// An imported name that is never imported: MMEngine's LazyObject. In a config it stands for a class such as
/// <c>RetinaNet</c>; it dumps as its dotted name (<c>mmdet.models.RetinaNet</c>).
/// </summary>
internal sealed record PyLazy(string Module, string? Name)
{
    public string FullName => Name is null ? Module : Module + "." + Name;

    public PyLazy Attribute(string attr) => Name is null ? new PyLazy(Module + "." + attr, null) : new PyLazy(Module, Name + "." + attr);

    public override string ToString() => FullName;
}
