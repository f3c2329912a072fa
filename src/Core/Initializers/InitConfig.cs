#nullable enable
using System.Collections;
using System.Collections.Specialized;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Initializers;

/// <summary>
/// One init config dict: <c>type</c>, the initializer's arguments, <c>layer</c> and <c>override</c>
/// (or, inside an override, <c>name</c>). Immutable (its maps are read-only; <see cref="ToConfigTree"/> gives a
/// copy to change); validated when parsed, and holding the
/// <see cref="Initializers.Initializer"/> built then, so planning and running use the parse's result instead of
/// reading the dict again.
/// </summary>
public sealed class InitConfig : IConfigSource
{
    private readonly ConfigMap _source;

    private InitConfig(ConfigMap source, string? type, string? name, IReadOnlyList<string> layer,
        ConfigMap arguments, IReadOnlyList<InitConfig> overrides, Initializer? initializer)
    {
        Initializer = initializer;
        _source = source.AsReadOnly();
        Type = type;
        Name = name;
        Layer = layer;
        Arguments = arguments.AsReadOnly();
        Override = overrides;
    }

    /// <summary>The registered initializer name (<c>Kaiming</c>); null only for a name-only override.</summary>
    public string? Type { get; }

    /// <summary>The submodule an override targets (dotted names allowed); null outside overrides.</summary>
    public string? Name { get; }

    /// <summary>Layer-type names this config initializes; empty when none were given.</summary>
    public IReadOnlyList<string> Layer { get; }

    /// <summary>The initializer's own arguments (everything but type, layer, override and name); read-only.</summary>
    public ConfigMap Arguments { get; }

    /// <summary>The overrides, in order.</summary>
    public IReadOnlyList<InitConfig> Override { get; }

    /// <summary>
    /// The initializer this config stands for, built when it was parsed (for an override, in whole-module mode;
    /// for a name-only override, from its parent's type and arguments).
    /// </summary>
    public Initializer? Initializer { get; }

    /// <summary>True when this is an override holding only <c>name</c>: it takes its parent's arguments.</summary>
    public bool IsNameOnly => Name is not null && _source.Count == 1;

    /// <summary>Parses and validates a dict or a list of dicts, reporting every problem at once.</summary>
    public static IReadOnlyList<InitConfig> ParseList(object? raw, ConfigPath path, InitializerRegistry? registry = null)
    {
        var problems = new ProblemList();
        var result = ParseList(raw, path, registry ?? InitializerRegistry.Default, problems);
        problems.ThrowIfAny();
        return result;
    }

    /// <summary>Parses a dict or list of dicts, adding problems instead of throwing.</summary>
    public static IReadOnlyList<InitConfig> ParseList(object? raw, ConfigPath path, InitializerRegistry registry, ProblemList problems)
    {
        // Configs already parsed against the types this registry holds now are used as they are.
        if (raw is InitConfig single && single.BuiltBy(registry)) return new[] { single };
        if (raw is IEnumerable<object?> items and not IDictionary)
        {
            var parsed = items.ToList();
            if (parsed.Count > 0 && parsed.All(x => x is InitConfig c && c.BuiltBy(registry)))
                return parsed.Cast<InitConfig>().ToArray();
        }

        object? tree;
        try { tree = ConfigReader.FromObject(raw, path); }
        catch (InitCfgException e) { problems.Add(e); return Array.Empty<InitConfig>(); }

        switch (tree)
        {
            case null: return Array.Empty<InitConfig>();
            case ConfigMap map:
                return Parse(map, path, registry, problems, isOverride: false) is { } one ? new[] { one } : Array.Empty<InitConfig>();
            case IReadOnlyList<object?> list:
                var result = new List<InitConfig>();
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is ConfigMap item)
                    {
                        if (Parse(item, path.Index(i), registry, problems, isOverride: false) is { } c) result.Add(c);
                    }
                    else
                        problems.Add(ErrorIds.ConfigNotMapping, path.Index(i),
                            $"each item of an init_cfg list must be a dict, but got {PyRepr.TypeAndValue(list[i])}.");
                }
                return result;
            default:
                problems.Add(ErrorIds.ConfigNotMappingOrList, path, $"init_cfg must be a dict or list of dicts, but got {PyRepr.TypeAndValue(tree)}.");
                return Array.Empty<InitConfig>();
        }
    }

    /// <summary>
    /// Parses and validates init_cfg text, YAML or JSON, holding a dict or a list of dicts:
    /// <c>InitConfig.Parse("type: Kaiming\nlayer: Conv2d")</c>.
    /// </summary>
    /// <exception cref="InitCfgException">The text cannot be read or the config is invalid (every problem is listed).</exception>
    public static IReadOnlyList<InitConfig> Parse(string text, InitializerRegistry? registry = null)
    {
        var path = ConfigPath.Root(ConfigKeys.InitCfg);
        return ParseList(ConfigReader.FromText(text, path), path, registry);
    }

    /// <summary>Reads and validates an init_cfg file (<c>.yaml</c>, <c>.yml</c> or <c>.json</c>).</summary>
    /// <exception cref="InitCfgException">The file is missing or unreadable, or the config is invalid.</exception>
    public static IReadOnlyList<InitConfig> Load(string file, InitializerRegistry? registry = null) =>
        ParseList(ConfigReader.FromFile(file), ConfigPath.Root(ConfigKeys.InitCfg), registry);

    /// <summary>Parses and validates one override dict (it must hold <c>name</c>).</summary>
    public static InitConfig ParseOverride(object? raw, ConfigPath path, InitializerRegistry? registry = null)
    {
        var problems = new ProblemList();
        var tree = ConfigReader.FromObject(raw, path);
        InitConfig? result = null;
        if (tree is ConfigMap map) result = Parse(map, path, registry ?? InitializerRegistry.Default, problems, isOverride: true);
        else problems.Add(ErrorIds.OverrideNotMapping, path, $"an override must be a dict, but got {PyRepr.TypeAndValue(tree)}.");
        problems.ThrowIfAny();
        return result!;
    }

    private static InitConfig? Parse(ConfigMap map, ConfigPath path, InitializerRegistry registry, ProblemList problems, bool isOverride)
    {
        int before = problems.Items.Count;
        map = Canonical(map, registry);
        string? type = null;
        if (map.TryGet(ConfigKeys.Type, out var t))
        {
            if (t is string s && s.Length > 0) type = s;
            else problems.Add(ErrorIds.InvalidArgumentType, path.Key(ConfigKeys.Type), $"type must be the name of an initializer, but got {PyRepr.TypeAndValue(t)}.");
        }

        string? name = null;
        if (map.TryGet(ConfigKeys.Name, out var n))
        {
            if (!isOverride)
                problems.Add(ErrorIds.UnknownArgument, path.Key(ConfigKeys.Name), "name is only allowed inside an override.");
            else if (n is string s && s.Length > 0) name = s;
            else problems.Add(ErrorIds.InvalidArgumentType, path.Key(ConfigKeys.Name), $"override name must be a submodule name, but got {PyRepr.TypeAndValue(n)}.");
        }
        else if (isOverride)
            problems.Add(ErrorIds.OverrideMissingName, path,
                $"`override` must contain the key \"name\", but got {PyRepr.Short(map)}.");

        var layer = ParseLayer(map, path, problems);

        var overrides = new List<InitConfig>();
        if (map.TryGet(ConfigKeys.Override, out var ov) && ov is not null)
        {
            if (isOverride)
                problems.Add(ErrorIds.NestedOverride, path.Key(ConfigKeys.Override), "an override cannot hold another override.");
            else
                overrides.AddRange(ParseOverrides(ov, path.Key(ConfigKeys.Override), registry, problems));
        }

        var args = map.Without(ConfigKeys.Type, ConfigKeys.Layer, ConfigKeys.Override, ConfigKeys.Name);
        Initializer? initializer = null;

        if (isOverride && name is not null && map.Count > 1 && type is null && !map.Contains(ConfigKeys.Type))
            problems.Add(ErrorIds.OverrideMissingType, path,
                $"`override` need \"type\" key, but got {PyRepr.Short(map.Without(ConfigKeys.Name))}.");
        else if (!isOverride && !map.Contains(ConfigKeys.Type))
            problems.Add(ErrorIds.MissingType, path, $"an init config needs a \"type\" key (one of {string.Join(", ", registry.Names)}), but got {PyRepr.Short(map)}.");
        else if (type is not null)
        {
            try { initializer = registry.Build(type, args, layer, name, path, wholeModule: isOverride); }
            catch (InitCfgException e) { problems.Add(e); }
        }
        if (problems.Items.Count != before) return null;

        // A name-only override stands for its parent's config applied to the whole submodule: build that now.
        if (initializer is not null)
            for (int i = 0; i < overrides.Count; i++)
            {
                var nameOnly = overrides[i];
                if (!nameOnly.IsNameOnly) continue;
                try
                {
                    var whole = registry.Build(type!, args, Array.Empty<string>(), nameOnly.Name, path.Key(ConfigKeys.Override), wholeModule: true);
                    overrides[i] = new InitConfig(nameOnly._source, nameOnly.Type, nameOnly.Name, nameOnly.Layer, nameOnly.Arguments, nameOnly.Override, whole);
                }
                catch (InitCfgException e) { problems.Add(e); return null; }
            }
        return new InitConfig(map, type, name, layer, args, overrides, initializer);
    }

    /// <summary>True when this config (and each override) was built from the descriptors <paramref name="registry"/> holds now.</summary>
    private bool BuiltBy(InitializerRegistry registry) =>
        (Initializer is null || (registry.TryGet(Initializer.Type, out var d) && ReferenceEquals(d, Initializer.Arguments.Descriptor)))
        && Override.All(o => o.BuiltBy(registry));

    // Keys as MMEngine spells them (BiasProb -> bias_prob), so printed and exported configs load in MMEngine.
    private static ConfigMap Canonical(ConfigMap map, InitializerRegistry registry)
    {
        var names = new List<string> { ConfigKeys.Type, ConfigKeys.Layer, ConfigKeys.Override, ConfigKeys.Name };
        if (map[ConfigKeys.Type] is string t && registry.TryGet(t, out var d)) names.AddRange(d.Arguments.Select(a => a.Name));
        else names.AddRange(InitializerDescriptor.CommonArguments.Select(a => a.Name));
        var result = new ConfigMap();
        foreach (var (key, value) in map)
        {
            var canonical = names.FirstOrDefault(n => ConfigKeys.Same(n, key)) ?? key;
            var v = canonical == ConfigKeys.Type && value is string s && registry.TryGet(s, out var desc) ? desc.Type : value;
            result.Set(canonical, v);
        }
        return result;
    }

    private static IEnumerable<InitConfig> ParseOverrides(object ov, ConfigPath path, InitializerRegistry registry, ProblemList problems)
    {
        switch (ov)
        {
            case ConfigMap single:
                if (Parse(single, path, registry, problems, isOverride: true) is { } c) yield return c;
                break;
            case IReadOnlyList<object?> list:
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is ConfigMap m)
                    {
                        if (Parse(m, path.Index(i), registry, problems, isOverride: true) is { } c2) yield return c2;
                    }
                    else
                        problems.Add(ErrorIds.OverrideNotMapping, path.Index(i), $"each override must be a dict, but got {PyRepr.TypeAndValue(list[i])}.");
                }
                break;
            default:
                problems.Add(ErrorIds.OverrideNotMapping, path, $"override must be a dict or list of dicts, but got {PyRepr.TypeAndValue(ov)}.");
                break;
        }
    }

    private static IReadOnlyList<string> ParseLayer(ConfigMap map, ConfigPath path, ProblemList problems)
    {
        if (!map.TryGet(ConfigKeys.Layer, out var layer) || layer is null) return Array.Empty<string>();
        if (layer is string s) return new[] { s };
        if (layer is IReadOnlyList<object?> list && list.All(x => x is string))
            return list.Cast<string>().ToArray();
        problems.Add(ErrorIds.LayerNotString, path.Key(ConfigKeys.Layer), $"layer must be a str or a list of str, but got {PyRepr.TypeAndValue(layer)}.");
        return Array.Empty<string>();
    }

    /// <summary>The config an override stands for: its own, or for a name-only override the parent's arguments.</summary>
    public InitConfig EffectiveOverride(InitConfig parent)
    {
        if (!IsNameOnly) return this;
        var merged = parent._source.Without(ConfigKeys.Layer, ConfigKeys.Override);
        return new InitConfig(merged, parent.Type, Name, Array.Empty<string>(), parent.Arguments, Array.Empty<InitConfig>(), Initializer);
    }

    /// <inheritdoc />
    public object ToConfigTree() => _source.Copy(); // this config stays as parsed

    /// <summary>MMEngine's printed form: <c>dict(type='Kaiming', layer='Conv2d')</c>.</summary>
    public override string ToString() => PyRepr.Dict(_source);

    /// <summary>An ordered dictionary (PowerShell's <c>[ordered]</c>) that parses back to an equal config.</summary>
    public OrderedDictionary ToHashtable() => (OrderedDictionary)ConfigWriter.ToDotNet(_source)!;

    /// <summary>JSON text that parses back to an equal config.</summary>
    public string ToJson() => ConfigWriter.ToJson(_source);

    /// <summary>YAML text that parses back to an equal config.</summary>
    public string ToYaml() => ConfigWriter.ToYaml(_source);
}
