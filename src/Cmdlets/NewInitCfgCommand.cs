#nullable enable
using InitCfg.Core.Initializers;
using System.Management.Automation;
using InitCfg.Cmdlets.Completers;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Cmdlets;

/// <summary>
/// <para type="synopsis">Creates init configs (MMEngine init_cfg dicts) from parameters, dictionaries, config text or .py/YAML/JSON files.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "InitCfg", DefaultParameterSetName = TypeSet)]
[OutputType(typeof(InitConfig))]
public sealed class NewInitCfgCommand : PSCmdlet
{
    private const string TypeSet = "Type";
    private const string InputSet = "InputObject";
    private const string PathSet = "Path";

    #region Parameters

    /// <summary>The initializer type (Kaiming, Xavier, Normal, TruncNormal, Uniform, Constant, Caffe2Xavier, Orthogonal, Dirac, Eye, ...).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TypeSet)]
    [ArgumentCompleter(typeof(InitializerTypeCompleter))]
    public string Type { get; set; } = "";

    /// <summary>Layer-type names to initialize.</summary>
    [Parameter(ParameterSetName = TypeSet)]
    [ArgumentCompleter(typeof(LayerTypeCompleter))]
    public string[]? Layer { get; set; }

    /// <summary>Constant: the weight value.</summary>
    [Parameter(ParameterSetName = TypeSet)] public object? Val { get; set; }
    /// <summary>Value the bias is filled with.</summary>
    [Parameter(ParameterSetName = TypeSet)] public object? Bias { get; set; }
    /// <summary>Prior probability; bias = -log((1-p)/p).</summary>
    [Parameter(ParameterSetName = TypeSet)] public object? BiasProb { get; set; }
    /// <summary>Xavier / Orthogonal gain.</summary>
    [Parameter(ParameterSetName = TypeSet)] public object? Gain { get; set; }
    /// <summary>normal or uniform.</summary>
    [Parameter(ParameterSetName = TypeSet)][ArgumentCompleter(typeof(ChoiceCompleter))] public string? Distribution { get; set; }
    /// <summary>Normal / TruncNormal mean.</summary>
    [Parameter(ParameterSetName = TypeSet)] public object? Mean { get; set; }
    /// <summary>Normal / TruncNormal standard deviation.</summary>
    [Parameter(ParameterSetName = TypeSet)] public object? Std { get; set; }
    /// <summary>Uniform/TruncNormal lower bound, or Kaiming negative slope.</summary>
    [Parameter(ParameterSetName = TypeSet)] public object? A { get; set; }
    /// <summary>Uniform/TruncNormal upper bound.</summary>
    [Parameter(ParameterSetName = TypeSet)] public object? B { get; set; }
    /// <summary>Kaiming fan mode: fan_in or fan_out.</summary>
    [Parameter(ParameterSetName = TypeSet)][ArgumentCompleter(typeof(ChoiceCompleter))] public string? Mode { get; set; }
    /// <summary>Kaiming nonlinearity.</summary>
    [Parameter(ParameterSetName = TypeSet)][ArgumentCompleter(typeof(ChoiceCompleter))] public string? Nonlinearity { get; set; }
    /// <summary>Pretrained: checkpoint path or URI.</summary>
    [Parameter(ParameterSetName = TypeSet)] public string? Checkpoint { get; set; }
    /// <summary>Pretrained: key prefix to load.</summary>
    [Parameter(ParameterSetName = TypeSet)] public string? Prefix { get; set; }
    /// <summary>Pretrained: map_location.</summary>
    [Parameter(ParameterSetName = TypeSet)] public string? MapLocation { get; set; }

    /// <summary>Any further initializer arguments.</summary>
    [Parameter(ParameterSetName = TypeSet)] public System.Collections.IDictionary? Arguments { get; set; }

    /// <summary>Overrides: InitConfig objects made with -Name, or dictionaries holding name.</summary>
    [Parameter(ParameterSetName = TypeSet)] public object[]? Override { get; set; }

    /// <summary>Makes this config an override for the submodule of this name (dotted names allowed).</summary>
    [Parameter(ParameterSetName = TypeSet)]
    [ArgumentCompleter(typeof(ModulePathCompleter))]
    public string? Name { get; set; }

    /// <summary>A model to check the new config against (layer names that match nothing warn, override names must exist); also drives completion of -Layer and -Name.</summary>
    [Parameter]
    public TorchSharp.torch.nn.Module? Model { get; set; }

    /// <summary>A dictionary, an ordered dictionary, a list of them, or config text (Python dict(...), JSON or YAML).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputSet)]
    [AllowNull]
    public object? InputObject { get; set; }

    /// <summary>A .py (MMEngine), .yaml, .yml or .json file holding a config or a list of configs.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ArgumentCompleter(typeof(ConfigFileCompleter))]
    public string Path { get; set; } = "";

    /// <summary>The dotted key of the init config in the file (model.bbox_head.init_cfg); by default the file's top-level init_cfg, or the whole file.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [ArgumentCompleter(typeof(ConfigKeyCompleter))]
    public string? Key { get; set; }

    /// <summary>Configs piped in; they are passed through ahead of the new one, composing a list.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = TypeSet)]
    [Parameter(ValueFromPipeline = true, ParameterSetName = PathSet)]
    public InitConfig[]? Previous { get; set; }

    #endregion

    #region Overrides

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Previous is not null) WriteObject(Previous, enumerateCollection: true);
        if (ParameterSetName == InputSet) Emit(() => Parse(PSObjectUnwrapper.Unwrap(InputObject), InputObject));
        if (ParameterSetName == InputSet && MyInvocation.ExpectingInput) _piped++;
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (ParameterSetName == TypeSet) Emit(() => FromParameters());
        else if (ParameterSetName == PathSet)
        {
            var file = GetUnresolvedProviderPathFromPSPath(Path);
            Emit(() =>
            {
                var tree = ConfigReader.FromFile(file);
                var root = ConfigPath.Root(string.IsNullOrEmpty(Key) ? ConfigKeys.InitCfg : Key);
                return InitConfig.ParseList(string.IsNullOrEmpty(Key) ? ConfigFiles.InitCfgOf(tree) : ConfigKeyPath.Select(tree, Key, file), root);
            });
        }
    }

    #endregion

    // Piped items are the entries of one list: the n-th item's problems are named init_cfg[n], not init_cfg[0].
    private int _piped;

    private int Offset => ParameterSetName == InputSet && MyInvocation.ExpectingInput ? _piped : 0;

    private void Emit(Func<IEnumerable<InitConfig>> make)
    {
        try
        {
            var configs = make().ToList();
            if (Model is not null) CheckAgainstModel(configs);
            WriteObject(configs, enumerateCollection: true);
        }
        catch (InitCfgException e) when (Offset > 0)
        {
            WriteError(ErrorRecords.From(new InitCfgException(e.Problems.Select(p => p with { Path = Shift(p.Path, Offset) }).ToList(), e)));
        }
        // A bad item piped in is that item's error (the rest still convert); the parameters or the file of one call
        // are the whole call.
        catch (InitCfgException e) when (ParameterSetName == InputSet && MyInvocation.ExpectingInput) { WriteError(ErrorRecords.From(e)); }
        catch (InitCfgException e) { ThrowTerminatingError(ErrorRecords.From(e)); }
    }

    // The engine's own plan, run on the model without writing anything, finds what these configs would miss there.
    private void CheckAgainstModel(List<InitConfig> configs)
    {
        var topLevel = configs.Where(c => c.Name is null).ToList();
        if (topLevel.Count == 0) return;
        var plan = new Core.Walk.InitEngine().Plan(Model!, new Core.Walk.InitOptions { InitCfg = topLevel, Force = true });
        foreach (var w in plan.Warnings.Where(w => w.Path?.StartsWith(ConfigKeys.InitCfg + "[", StringComparison.Ordinal) == true))
            WriteWarning(Offset == 0 ? w.ToString() : w.ToString().Replace(w.Path!, Shift(w.Path, Offset)));
    }

    // "init_cfg" or "init_cfg[j]..." of one piped item, as the path of entry offset + j of the whole list.
    private static string? Shift(string? path, int offset)
    {
        if (path is null) return null;
        var m = System.Text.RegularExpressions.Regex.Match(path, @"^init_cfg(\[(\d+)\])?");
        if (!m.Success) return path;
        long index = offset + (m.Groups[2].Success ? long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
        return $"{ConfigKeys.InitCfg}[{index}]" + path[m.Length..];
    }

    private static readonly HashSet<string> NumericParameters = new()
    {
        nameof(Val), nameof(Bias), nameof(BiasProb), nameof(Gain), nameof(Mean), nameof(Std), nameof(A), nameof(B),
    };

    // PowerShell binds `-A -1` to an [object] parameter as the string "-1": read number-shaped text as a number.
    private static object? NumberFromText(object? value)
    {
        if (value is not string s) return value;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (long.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, inv, out var l)) return l;
        if (double.TryParse(s, System.Globalization.NumberStyles.Float, inv, out var d) && !double.IsNaN(d) && !double.IsInfinity(d)) return d;
        return value;
    }

    private static IEnumerable<InitConfig> Parse(object? raw, object? original)
    {
        if (raw is InitConfig config) return new[] { config };
        if (raw is object[] items && items.All(i => i is InitConfig)) return items.Cast<InitConfig>();
        // Pasted text: dict(type='Normal', std=0.01) as InitCfg prints it, JSON or YAML.
        if (raw is string text) raw = ConfigFiles.InitCfgOf(ConfigReader.FromText(text, ConfigPath.Root(ConfigKeys.InitCfg)));
        return InitConfig.ParseList(raw, ConfigPath.Root(ConfigKeys.InitCfg));
    }

    private IEnumerable<InitConfig> FromParameters()
    {
        var map = new ConfigMap();
        map.Set("type", Type);
        void Put(string key, string parameter, object? value)
        {
            if (!MyInvocation.BoundParameters.ContainsKey(parameter)) return;
            var v = PSObjectUnwrapper.Unwrap(value);
            if (NumericParameters.Contains(parameter)) v = NumberFromText(v);
            map.Set(key, ConfigReader.FromObject(v, ConfigPath.Root(ConfigKeys.InitCfg).Key(key)));
        }
        Put("val", nameof(Val), Val);
        Put("gain", nameof(Gain), Gain);
        Put("distribution", nameof(Distribution), Distribution);
        Put("mean", nameof(Mean), Mean);
        Put("std", nameof(Std), Std);
        Put("a", nameof(A), A);
        Put("b", nameof(B), B);
        Put("mode", nameof(Mode), Mode);
        Put("nonlinearity", nameof(Nonlinearity), Nonlinearity);
        Put("checkpoint", nameof(Checkpoint), Checkpoint);
        Put("prefix", nameof(Prefix), Prefix);
        Put("map_location", nameof(MapLocation), MapLocation);
        Put("bias", nameof(Bias), Bias);
        Put("bias_prob", nameof(BiasProb), BiasProb);
        if (Arguments is not null)
            foreach (System.Collections.DictionaryEntry e in Arguments)
                map.Set(e.Key.ToString()!, ConfigReader.FromObject(PSObjectUnwrapper.Unwrap(e.Value), ConfigPath.Root(e.Key.ToString()!)));
        if (Layer is not null) map.Set("layer", Layer.Length == 1 ? Layer[0] : Layer.Cast<object?>().ToList());
        if (Override is not null)
        {
            var overrides = Override.Select(o => ConfigReader.FromObject(PSObjectUnwrapper.Unwrap(o), ConfigPath.Root("override"))).ToList();
            map.Set("override", overrides.Count == 1 ? overrides[0] : overrides);
        }
        if (Name is not null)
        {
            map.Set("name", Name);
            return new[] { InitConfig.ParseOverride(map, ConfigPath.Root("override")) };
        }
        return InitConfig.ParseList(map, ConfigPath.Root(ConfigKeys.InitCfg));
    }
}
