#nullable enable
namespace InitCfg.Core.Configs.Python;

/// <summary>
/// The few standard-library names configs use (<c>copy.deepcopy</c>, <c>math.sqrt</c>, <c>os.path.join</c>),
/// evaluated in C#. Any other import is inert (<see cref="PyLazy"/>).
/// </summary>
internal static class PyModules
{
    private static readonly HashSet<string> Modules = new(StringComparer.Ordinal) { "copy", "math", "os", "os.path", "mmengine.config" };

    private static readonly HashSet<string> Functions = new(StringComparer.Ordinal)
    {
        "copy.deepcopy", "copy.copy",
        "math.sqrt", "math.log", "math.log2", "math.log10", "math.exp", "math.ceil", "math.floor", "math.pow", "math.pi", "math.e", "math.inf", "math.isclose",
        "os.path.join", "os.path.basename", "os.path.dirname", "os.path.splitext", "os.path",
        "mmengine.config.read_base", "mmengine.config.Config",
    };

    public static bool IsKnown(string name) => Modules.Contains(name) || Functions.Contains(name);

    public static bool IsModule(string name) => Modules.Contains(name);
}
