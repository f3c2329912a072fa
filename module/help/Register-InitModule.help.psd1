# Help source for Register-InitModule (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Registers TorchSharp module classes so that New-InitModel configs can use them as types.'

    Description = @(
        'Register-InitModule adds user module classes to the registry that New-InitModel configs name in type, as MMEngine''s @MODELS.register_module() does. The class must derive from TorchSharp''s torch.nn.Module and have a public constructor whose parameters are all integers, numbers, booleans, strings or integer arrays; those parameters become the config''s arguments, matched case- and underscore-insensitively, so in_channels fills a parameter named inChannels. Parameters with default values are optional.'
        'Class parameter set: register one class (from Add-Type, or from an assembly loaded with Add-Type -Path), under -Type or its class name. Assembly parameter set: load a .NET assembly and register every public class marked with the [InitCfg.Core.Building.InitModule] attribute, under the name the attribute gives or the class name.'
        'In reports and for layer matching, a registered module''s layer-type names are its .NET class name and the name of its direct base class, so init configs can select it with layer = ''ClassName''. The registry belongs to the PowerShell process. Registering a name that exists is an error unless -Force is given.'
    )

    Parameters  = @{
        Class        = 'A TorchSharp module class (a .NET type deriving from torch.nn.Module), for example compiled with Add-Type. Classes may come down the pipeline.'
        Type         = @{ Description = 'The type name configs will use for the class.'; Default = 'None (the class name)' }
        AssemblyPath = 'The path of a .NET assembly (.dll) whose public classes marked [InitModule] are registered. Relative paths are resolved against the current PowerShell location. It is an error if the assembly has no such class.'
        Force        = 'Replaces registered types of the same name. Without it, registering an existing name is an error (ErrorId DuplicateRegistration).'
        PassThru     = 'Writes the catalog entries (InitCfg.Core.Reports.CatalogEntry) of the registered types to the pipeline. By default nothing is written.'
        WhatIf       = 'Shows which class or assembly would be registered, without registering it.'
        Confirm      = 'Asks for confirmation before registering.'
    }

    Inputs      = @{
        'System.Type' = 'Module classes to register (-Class).'
    }

    Outputs     = @(
        @{ Type = 'None'; Description = 'By default, Register-InitModule writes nothing to the pipeline.' }
        @{ Type = 'InitCfg.Core.Reports.CatalogEntry'; Description = 'With -PassThru, one entry per registered type.' }
    )

    Notes       = @(
        'Errors are terminating ErrorRecord objects with a stable ErrorId (DuplicateRegistration, InvalidArgumentType when the class is not a usable module class, UnknownModuleType when an assembly has no [InitModule] class, AssemblyUnreadable).'
        'Compiling against TorchSharp with Add-Type gives warnings about assembly versions (CS1701); add -IgnoreWarnings -WarningAction Ignore.'
    )

    Examples    = @(
        @{
            Title   = 'A learnable per-channel scale, compiled with Add-Type'
            Code    = @'
Add-Type -ReferencedAssemblies ([TorchSharp.torch].Assembly.Location) `
    -IgnoreWarnings -WarningAction Ignore -TypeDefinition @"
using static TorchSharp.torch;
public sealed class ChannelScale : nn.Module<Tensor, Tensor>
{
    public TorchSharp.Modules.Parameter weight;
    public ChannelScale(long numFeatures, double init = 1.0)
        : base(nameof(ChannelScale))
    {
        weight = nn.Parameter(full(numFeatures, init));
        RegisterComponents();
    }
    public override Tensor forward(Tensor x) => x * weight;
}
"@
Register-InitModule -Class ([ChannelScale]) -Force -PassThru |
    Format-List Name, Signature
$model = New-InitModel -Config @{ type = 'Sequential'; modules = @(
    @{ type = 'Linear'; in_features = 4; out_features = 8 }
    @{ type = 'ChannelScale'; num_features = 8; init = 0.5 }
) }
$cfg = @{ type = 'Constant'; val = 1e-4; layer = 'ChannelScale' }
Invoke-InitWeights -Model $model -InitCfg $cfg
Get-InitReport -Model $model | Format-Table Name, InitInfo
'@
            Remarks = 'The constructor parameters numFeatures and init become the arguments num_features (required) and init=1.0. The init config selects the new layer by its class name, like a LayerScale in a vision transformer: 1.weight reports ConstantInit: val=0.0001, bias=0, while the Linear layer is untouched.'
        }
        @{
            Title   = 'Register a class under another type name'
            Code    = @'
Add-Type -ReferencedAssemblies ([TorchSharp.torch].Assembly.Location) `
    -IgnoreWarnings -WarningAction Ignore -TypeDefinition @"
using static TorchSharp.torch;
public sealed class ScaledLinear : nn.Module<Tensor, Tensor>
{
    public TorchSharp.Modules.Linear fc;
    public ScaledLinear(long inFeatures, long outFeatures)
        : base(nameof(ScaledLinear))
    {
        fc = nn.Linear(inFeatures, outFeatures);
        RegisterComponents();
    }
    public override Tensor forward(Tensor x) => fc.forward(x) * 0.5;
}
"@
Register-InitModule -Class ([ScaledLinear]) -Type ScaledFC -Force
$net = New-InitModel -Config @{
    type = 'ScaledFC'; in_features = 16; out_features = 4
    init_cfg = @{ type = 'Xavier'; layer = 'Linear' }
}
Invoke-InitWeights -Model $net -Seed 0
Get-InitReport -Model $net | Format-Table Name, InitInfo
'@
            Remarks = 'Configs use the name ScaledFC. A registered module can carry an init_cfg like any node: its Xavier config reaches the Linear layer inside it (fc.weight and fc.bias report XavierInit).'
        }
    )

    Links       = @('about_InitCfg', 'New-InitModel', 'Get-InitCatalog', 'Register-InitInitializer')
}
