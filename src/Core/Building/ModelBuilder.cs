#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Modules;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.Building;

/// <summary>
/// Builds a TorchSharp model from an MMDetection-style config: every node is a dict with <c>type</c>, constructor
/// arguments under PyTorch's names, optional <c>init_cfg</c> and, for containers, <c>modules</c>.
/// Every problem in the whole config is reported at once, each with its path.
/// </summary>
public sealed class ModelBuilder
{
    private readonly ModuleRegistry _modules;
    private readonly InitializerRegistry _initializers;

    /// <summary>Uses the given registries, or the defaults.</summary>
    public ModelBuilder(ModuleRegistry? modules = null, InitializerRegistry? initializers = null)
    {
        _modules = modules ?? ModuleRegistry.Default;
        _initializers = initializers ?? InitializerRegistry.Default;
    }

    private readonly List<ConfigProblem> _initCfgProblems = new();

    /// <summary>
    /// Problems in the init_cfg entries of the last build. They do not stop the build (the configs are checked
    /// again, and refused, when init_weights runs), but a caller can show them as warnings right away.
    /// </summary>
    public IReadOnlyList<ConfigProblem> InitCfgProblems => _initCfgProblems;

    /// <summary>Builds a model from a dictionary tree (hashtables, JSON or YAML already read).</summary>
    public nn.Module Build(object? config) => Build(config, ConfigPath.Root("model"));

    /// <summary>
    /// Builds a node found at <paramref name="root"/> of a larger config (a detector's backbone), so that
    /// problems name their full path.
    /// </summary>
    public nn.Module Build(object? config, ConfigPath root)
    {
        _initCfgProblems.Clear();
        var problems = new ProblemList();
        object? tree = null;
        try { tree = ConfigReader.FromObject(config, root); }
        catch (InitCfgException e) { problems.Add(e); }
        var model = problems.IsEmpty ? BuildNode(tree, root, problems) : null;
        problems.ThrowIfAny();
        return model!;
    }

    /// <summary>Builds a model from a YAML or JSON file, or from the <c>model</c> of an MMEngine .py config.</summary>
    public nn.Module BuildFile(string path) => BuildFile(path, null);

    /// <summary>Builds a model from the value at <paramref name="key"/> (dotted) of a config file; null means the whole file, or <c>model</c> for a .py config.</summary>
    public nn.Module BuildFile(string path, string? key)
    {
        var tree = ConfigReader.FromFile(path);
        key ??= ConfigFiles.DefaultModelKey(path);
        return Build(key is null ? tree : ConfigKeyPath.Select(tree, key, path));
    }

    private nn.Module? BuildNode(object? node, ConfigPath path, ProblemList problems)
    {
        if (node is not ConfigMap map)
        {
            problems.Add(ErrorIds.ConfigNotMapping, path, $"a model node must be a dict with a \"type\" key, but got {PyRepr.TypeAndValue(node)}.");
            return null;
        }
        if (map[ConfigKeys.Type] is not string type)
        {
            problems.Add(ErrorIds.MissingType, path.Key(ConfigKeys.Type), $"a model node needs a \"type\" naming a module ({string.Join(", ", _modules.Names)}), but got {PyRepr.TypeAndValue(map[ConfigKeys.Type])}.");
            return null;
        }
        ModuleDescriptor descriptor;
        try { descriptor = _modules.Get(type, path); }
        catch (InitCfgException e) { problems.Add(e); return null; }

        int before = problems.Items.Count;
        var initCfg = map[ConfigKeys.InitCfg];
        if (initCfg is not null)
        {
            // Checked now so the user hears early, but reported when init_weights runs, as MMEngine does.
            var initProblems = new ProblemList();
            InitConfig.ParseList(initCfg, path.Key(ConfigKeys.InitCfg), _initializers, initProblems);
            _initCfgProblems.AddRange(initProblems.Items);
        }
        var args = map.Without(ConfigKeys.Type, ConfigKeys.InitCfg);
        nn.Module? module = descriptor.Container is { } kind
            ? BuildContainer(descriptor, kind, args, path, problems)
            : BuildLeaf(descriptor, args, path, problems, initCfg is not null);
        if (module is null || problems.Items.Count > before) return null;
        if (initCfg is not null) InitAttachment.SetConfig(module, initCfg);
        return module;
    }

    private nn.Module? BuildContainer(ModuleDescriptor descriptor, ContainerKind kind, ConfigMap args, ConfigPath path, ProblemList problems)
    {
        string className = descriptor.Type;
        foreach (var (key, value) in args)
        {
            if (ConfigKeys.Same(key, ConfigKeys.Modules)) continue;
            if (ConfigKeys.Same(key, ConfigKeys.ClassName) && descriptor.Type == "Module")
            {
                if (value is string s && s.Length > 0) className = s;
                else problems.Add(ErrorIds.InvalidArgumentType, path.Key(key), $"class_name must be a non-empty string, but got {PyRepr.TypeAndValue(value)}.");
                continue;
            }
            problems.Add(ErrorIds.UnknownArgument, path.Key(key), $"{descriptor.Type} takes only modules{(descriptor.Type == "Module" ? ", class_name" : "")} and init_cfg, but got '{key}'.");
        }
        var modules = args[ConfigKeys.Modules];
        var children = new List<KeyValuePair<string, nn.Module>>();
        var modulesPath = path;
        switch (kind, modules)
        {
            case (_, null):
                break;
            case (ContainerKind.List, IReadOnlyList<object?> list):
                for (int i = 0; i < list.Count; i++)
                    if (BuildNode(list[i], modulesPath.Key(i.ToString()), problems) is { } child) children.Add(new(i.ToString(), child));
                break;
            case (ContainerKind.Map, ConfigMap map):
                foreach (var (name, value) in map)
                {
                    if (name.Length == 0 || name.Contains('.'))
                    {
                        problems.Add(ErrorIds.InvalidArgumentValue, modulesPath.Key(name), $"child names must be non-empty and contain no '.', but got '{name}'.");
                        continue;
                    }
                    if (BuildNode(value, modulesPath.Key(name), problems) is { } child) children.Add(new(name, child));
                }
                break;
            default:
                problems.Add(ErrorIds.InvalidArgumentType, path.Key(ConfigKeys.Modules),
                    $"modules of {descriptor.Type} must be {(kind == ContainerKind.List ? "a list of nodes" : "a map of child name to node")}, but got {PyRepr.TypeAndValue(modules)}.");
                return null;
        }
        return descriptor.Type switch
        {
            "Sequential" => new MMEngineSequential(children.Select(c => c.Value)),
            "ModuleList" => new MMEngineModuleList(children.Select(c => c.Value)),
            "ModuleDict" => new MMEngineModuleDict(children),
            // PyTorch's plain containers: no init_weights of their own, so MMEngine's walk does not enter them.
            "nn.Sequential" => children.All(c => c.Value is nn.Module<Tensor, Tensor>)
                ? nn.Sequential(children.Select(c => (c.Key, (nn.Module<Tensor, Tensor>)c.Value)).ToArray())
                : nn.ModuleList(children.Select(c => c.Value).ToArray()),
            "nn.ModuleList" => nn.ModuleList(children.Select(c => c.Value).ToArray()),
            "nn.ModuleDict" => nn.ModuleDict(children.Select(c => (c.Key, c.Value)).ToArray()),
            _ => new ConfigModule(className, children),
        };
    }

    private static nn.Module? BuildLeaf(ModuleDescriptor descriptor, ConfigMap args, ConfigPath path, ProblemList problems, bool initCfgGiven)
    {
        var (values, _) = ArgumentChecks.Bind(descriptor.Type, descriptor.Arguments, args, path, problems, dimensions: descriptor.Dimensions);
        if (values.Count < descriptor.Arguments.Count) return null;
        try { return descriptor.Factory(new ModuleArguments(values, path, descriptor.Dimensions, initCfgGiven)); }
        catch (InitCfgException e) { problems.Add(e); return null; }
        catch (Exception e)
        {
            problems.Add(ErrorIds.InvalidArgumentValue, path, $"{descriptor.Type} could not be built from {PyRepr.Short(args)}: {e.Message}");
            return null;
        }
    }
}
