# Help source for Register-InitInitializer (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Registers a new initializer type: a PowerShell script block that fills a weight, or a .NET class.'

    Description = @(
        'Register-InitInitializer adds an initializer to the registry that init configs name in type, as MMEngine''s @WEIGHT_INITIALIZERS.register_module() does. Once registered, the type works like a built-in one: in hashtable, YAML and JSON configs, in New-InitCfg -Type (with tab completion), in overrides, with layer matching, bias and bias_prob, and in Get-InitCatalog and the init records.'
        'ScriptBlock parameter set: -ScriptBlock fills one weight tensor. It is called once per matched module with four arguments: the module, its weight tensor (write it in place, for example with $weight.normal_(...); gradients are off), the initializer''s arguments as a hashtable (-Arguments declares them, with their defaults), and the random generator of the run (pass it on, so that Invoke-InitWeights -Seed makes the result reproducible). The bias is filled by the engine from bias or bias_prob, as for every initializer.'
        'Class parameter set: -Class registers a .NET class that derives from InitCfg.Core.Initializers.InitializerBase and has a public constructor taking InitCfg.Core.Initializers.InitArguments; its [InitArgument] attributes declare its arguments and an [Initializer] attribute may give its type name and description. Without -Type, the name is the [Initializer] name, else the class name without a trailing Init.'
        'Type names are letters, digits and _. Registering a name that exists (built-in or not) is an error unless -Force is given. The registry belongs to the PowerShell process.'
    )

    Parameters  = @{
        Type        = @{ Description = 'The type name configs will use, such as LeCunNormal (letters, digits and _). Required with -ScriptBlock; with -Class it defaults to the class''s [Initializer] name or its class name without a trailing Init.'; Default = 'None (with -Class: from the class)' }
        ScriptBlock = 'Fills one weight. Receives the module, its weight tensor, the arguments (a hashtable of the declared arguments, with the config''s values or the defaults) and the generator of the run (may be $null). Write the tensor in place; what the script block returns is ignored. An error in it stops Invoke-InitWeights with an error.'
        Arguments   = @{ Description = 'The initializer''s own arguments and their defaults, as a hashtable such as @{ scale = 1.0; mode = ''fan_in'' }. A $null default makes the argument required. bias, bias_prob and layer are added automatically. Configs that give an argument not declared here are refused, with the nearest valid name.'; Default = 'None (no own arguments)' }
        Class       = 'A .NET type deriving from InitCfg.Core.Initializers.InitializerBase, with a public constructor taking InitCfg.Core.Initializers.InitArguments, for example a class compiled with Add-Type or loaded from an assembly.'
        Description = @{ Description = 'One line describing the initializer, shown by Get-InitCatalog.'; Default = 'None' }
        Force       = 'Replaces a registered type of the same name, including a built-in one. Without it, registering an existing name is an error (ErrorId DuplicateRegistration).'
        PassThru    = 'Writes the new InitCfg.Core.Reports.CatalogEntry (its name, description and arguments) to the pipeline. By default nothing is written.'
        WhatIf      = 'Shows which type would be registered, without registering it.'
        Confirm     = 'Asks for confirmation before registering the type.'
    }

    Inputs      = @{
        'None' = 'Register-InitInitializer takes no pipeline input.'
    }

    Outputs     = @(
        @{ Type = 'None'; Description = 'By default, Register-InitInitializer writes nothing to the pipeline.' }
        @{ Type = 'InitCfg.Core.Reports.CatalogEntry'; Description = 'With -PassThru, the catalog entry of the new type.' }
    )

    Notes       = @(
        'The init-info text of a registered initializer follows MMEngine''s pattern: TYPEInit: arg=value, ..., bias=0 (for example LeCunNormalInit: scale=1.0, bias=0).'
        'Errors are terminating ErrorRecord objects with a stable ErrorId (DuplicateRegistration, InvalidArgumentType, InvalidArgumentValue).'
    )

    Examples    = @(
        @{
            Title   = 'A LeCun-normal initializer written as a script block'
            Code    = @'
Register-InitInitializer -Type LeCunNormal -Arguments @{ scale = 1.0 } `
    -Description 'N(0, scale / fan_in)' -Force -ScriptBlock {
    param($module, $weight, $arguments, $generator)
    $fanIn = $weight.numel() / $weight.shape[0]
    $std = [Math]::Sqrt($arguments.scale / $fanIn)
    $null = $weight.normal_(0, $std, $generator)
}
$mlp = New-InitModel -Config @{ type = 'Linear'; in_features = 256
                                out_features = 64 }
$cfg = @{ type = 'LeCunNormal'; layer = 'Linear'; bias = 0 }
Invoke-InitWeights -Model $mlp -InitCfg $cfg -Seed 0
Get-InitReport -Model $mlp | Format-Table -View Statistics
'@
            Remarks = @(
                'The weight''s standard deviation is close to sqrt(1 / 256) = 0.0625, and the seed makes it reproducible. -Force makes the example safe to run twice in one session. Output:'
                "Name   Shape     Initializer      Mean    Std    Min   Max`n----   -----     -----------      ----    ---    ---   ---`nweight [64, 256] LeCunNormal -0.000473 0.0628 -0.271 0.256`nbias   [64]      LeCunNormal         0      0      0     0"
            )
        }
        @{
            Title   = 'A registered type in an override and in the catalog'
            Code    = @'
Register-InitInitializer -Type HeadUniform -Arguments @{ bound = 0.01 } `
    -Force -ScriptBlock {
    param($module, $weight, $arguments, $generator)
    $b = $arguments.bound
    $null = $weight.uniform_(-$b, $b, $generator)
}
$head = New-InitModel -Config @{
    type = 'Module'; class_name = 'Head'
    modules = [ordered]@{
        conv = @{ type = 'Conv2d'; in_channels = 8; out_channels = 8
                  kernel_size = 3 }
        cls  = @{ type = 'Conv2d'; in_channels = 8; out_channels = 3
                  kernel_size = 1 }
    }
}
$cfg = New-InitCfg -Type Kaiming -Layer Conv2d -Override (
    New-InitCfg -Type HeadUniform -Name cls -BiasProb 0.01)
Invoke-InitWeights -Model $head -InitCfg $cfg -Seed 0
Get-InitReport -Model $head | Format-Table Name, Initializer
Get-InitCatalog -Name HeadUniform | Format-List Name, Signature
'@
            Remarks = 'The registered type works in New-InitCfg -Type and in an override, and takes bias_prob like every initializer: cls.weight and cls.bias report HeadUniform. Get-InitCatalog shows its signature: bound=0.01, bias=0, bias_prob=None, layer=None.'
        }
        @{
            Title   = 'A .NET initializer class compiled with Add-Type'
            Code    = @'
$refs = [TorchSharp.torch].Assembly.Location,
        [InitCfg.Core.Initializers.InitializerBase].Assembly.Location
Add-Type -ReferencedAssemblies $refs `
    -IgnoreWarnings -WarningAction Ignore -TypeDefinition @"
using InitCfg.Core.Initializers;
using static TorchSharp.torch;
[Initializer("Zeros", Description = "Fills the weight with zeros.")]
public sealed class ZerosInit : InitializerBase
{
    public ZerosInit(InitArguments args) : base(args) { }
    protected override void FillWeight(Tensor weight, Generator generator)
        => weight.zero_();
    public override string Describe() => "ZerosInit: " + BiasText;
}
"@
Register-InitInitializer -Class ([ZerosInit]) -Force -PassThru
'@
            Remarks = 'The class names itself Zeros through its [Initializer] attribute, so configs use @{ type = ''Zeros''; layer = ''Linear'' }. Describe() gives its init-info text. -IgnoreWarnings and -WarningAction Ignore silence the compiler''s assembly-version warnings.'
        }
    )

    Links       = @('about_InitCfg', 'Get-InitCatalog', 'New-InitCfg', 'Invoke-InitWeights', 'Register-InitModule')
}
