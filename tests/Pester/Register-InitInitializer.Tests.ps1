# Registrations are process-global (one registry per session): every test registers types under unique names.

BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    function New-TypeName([string]$Stem) { $Stem + [guid]::NewGuid().ToString('N').Substring(0, 8) }
    function Get-Record($Model, [string]$Name) { Get-InitReport $Model | Where-Object Name -EQ $Name }
    function Invoke-Failing([scriptblock]$ScriptBlock) { try { & $ScriptBlock; $null } catch { $_ } }

    # Fills the weight with $Arguments.value (the engine then fills the bias).
    $script:fillValue = { param($Module, $Weight, $Arguments, $Generator) $null = $Weight.fill_([TorchSharp.Scalar]$Arguments.value) }

    $script:moduleBase = (Get-Module InitCfg).ModuleBase
    $script:references = @((Join-Path $moduleBase 'dependencies/InitCfg.Core.dll'), (Join-Path $moduleBase 'TorchSharp.dll'))
}

Describe 'Register-InitInitializer' {

    Context 'Script block initializers' {

        It 'registers a type that Invoke-InitWeights applies to matching layers, with bias and MMEngine-style InitInfo' {
            $t = New-TypeName 'Fill'
            Register-InitInitializer -Type $t -ScriptBlock $fillValue -Arguments @{ value = 3 }
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg @{ type = $t; layer = 'Conv2d'; bias = 0.5 }
            $w = Get-Record $m 'conv.weight'
            $w.Min | Should -Be 3
            $w.Max | Should -Be 3
            $w.InitInfo | Should -BeExactly "${t}Init: value=3, bias=0.5"
            $w.Initializer | Should -Be $t
            (Get-Record $m 'conv.bias').Mean | Should -Be 0.5
            (Get-Record $m 'fc.weight').Written | Should -BeFalse
        }

        It 'takes argument values from the config (keys case-insensitive), defaults otherwise' {
            $t = New-TypeName 'Fill'
            Register-InitInitializer $t $fillValue -Arguments @{ value = 3 }
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg @(@{ type = $t; Value = 5; layer = 'Linear' }, @{ type = $t; layer = 'Conv2d' })
            (Get-Record $m 'fc.weight').Max | Should -Be 5
            (Get-Record $m 'fc.weight').InitInfo | Should -BeExactly "${t}Init: value=5, bias=0"
            (Get-Record $m 'conv.weight').Max | Should -Be 3
        }

        It 'passes the matched module, its weight and the arguments as a hashtable' {
            $t = New-TypeName 'Spy'
            $script:calls = [Collections.Generic.List[string]]::new()
            Register-InitInitializer $t -Arguments @{ tag = 'x'; scale = 1 } -ScriptBlock {
                param($Module, $Weight, $Arguments, $Generator)
                $script:calls.Add(('{0} [{1}] {2} {3} {4}' -f $Module.GetType().Name, ($Weight.shape -join ','), $Arguments.tag, $Arguments.scale, ($Arguments -is [hashtable])))
                $null = $Weight.zero_()
            }
            Invoke-InitWeights (New-ToyNet) -InitCfg @{ type = $t; tag = 'y'; layer = @('Conv2d', 'Linear') }
            @($calls) | Should -Be @('Conv2d [8,3,3,3] y 1 True', 'Linear [4,8] y 1 True')
        }

        It 'hands a generator seeded by -Seed, so results repeat' {
            $t = New-TypeName 'Noise'
            Register-InitInitializer $t { param($Module, $Weight, $Arguments, $Generator) $null = $Weight.normal_(0, 1, $Generator) }
            $a = New-ToyNet; $b = New-ToyNet; $c = New-ToyNet
            Invoke-InitWeights $a -InitCfg @{ type = $t; layer = 'Conv2d' } -Seed 4
            Invoke-InitWeights $b -InitCfg @{ type = $t; layer = 'Conv2d' } -Seed 4
            Invoke-InitWeights $c -InitCfg @{ type = $t; layer = 'Conv2d' } -Seed 5
            Get-ModelFingerprint $a | Should -Be (Get-ModelFingerprint $b)
            Get-ModelFingerprint $a | Should -Not -Be (Get-ModelFingerprint $c)
        }

        It 'works in an override and in a New-InitModel init_cfg' {
            $t = New-TypeName 'Fill'
            Register-InitInitializer $t $fillValue -Arguments @{ value = 2 }
            $m = New-ToyNet -InitCfg @{ type = 'Constant'; val = 1; layer = 'Conv2d'; override = @{ name = 'fc'; type = $t; value = 6 } }
            Invoke-InitWeights $m
            (Get-Record $m 'fc.weight').Max | Should -Be 6
            (Get-Record $m 'conv.weight').Max | Should -Be 1
        }

        It 'a script block that throws: UserInitFailed naming the type and the error' {
            $t = New-TypeName 'Broken'
            Register-InitInitializer $t { param($Module, $Weight) throw 'no weights today' }
            $err = Invoke-Failing { Invoke-InitWeights (New-ToyNet) -InitCfg @{ type = $t; layer = 'Linear' } }
            $err.FullyQualifiedErrorId | Should -Be 'UserInitFailed,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.Exception.Message | Should -Match $t
            $err.Exception.Message | Should -Match 'no weights today'
        }

        It 'an argument whose default is $null is required (MissingArgument), checked before any change' {
            $t = New-TypeName 'Needs'
            Register-InitInitializer $t $fillValue -Arguments @{ value = $null }
            $m = New-ToyNet
            $before = Get-ModelFingerprint $m
            $err = Invoke-Failing { Invoke-InitWeights $m -InitCfg @(@{ type = 'Constant'; val = 1; layer = 'Linear' }, @{ type = $t; layer = 'Conv2d' }) }
            $err.FullyQualifiedErrorId | Should -Be 'MissingArgument,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            Get-ModelFingerprint $m | Should -Be $before
        }

        It 'an unknown argument is refused, naming the nearest valid one' {
            $t = New-TypeName 'Fill'
            Register-InitInitializer $t $fillValue -Arguments @{ value = 1 }
            $err = Invoke-Failing { Invoke-InitWeights (New-ToyNet) -InitCfg @{ type = $t; valeu = 2; layer = 'Linear' } }
            $err.FullyQualifiedErrorId | Should -Be 'UnknownArgument,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.Exception.Message | Should -Match "'value'"
        }

        It 'New-InitCfg builds configs of the new type' {
            $t = New-TypeName 'Fill'
            Register-InitInitializer $t $fillValue -Arguments @{ value = 1 }
            $cfg = New-InitCfg -Type $t -Layer Linear -Arguments @{ value = 4 }
            $cfg.ToString() | Should -BeExactly "dict(type='$t', value=4, layer='Linear')"
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg $cfg
            (Get-Record $m 'fc.weight').Max | Should -Be 4
        }
    }

    Context 'Registration rules' {

        It 'refuses a taken name (DuplicateRegistration) unless -Force' {
            $t = New-TypeName 'Dup'
            Register-InitInitializer $t $fillValue -Arguments @{ value = 1 }
            $err = Invoke-Failing { Register-InitInitializer $t.ToUpperInvariant() $fillValue -Arguments @{ value = 2 } }
            $err.FullyQualifiedErrorId | Should -Be 'DuplicateRegistration,InitCfg.Cmdlets.RegisterInitInitializerCommand'
            Register-InitInitializer $t $fillValue -Arguments @{ value = 9 } -Force
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg @{ type = $t; layer = 'Linear' }
            (Get-Record $m 'fc.weight').Max | Should -Be 9
        }

        It 'refuses to replace a built-in type without -Force' {
            $err = Invoke-Failing { Register-InitInitializer Kaiming $fillValue }
            $err.FullyQualifiedErrorId | Should -Be 'DuplicateRegistration,InitCfg.Cmdlets.RegisterInitInitializerCommand'
            "$err" | Should -Match 'use -Force to replace it'
            (Get-InitCatalog Initializer Kaiming).Description | Should -Not -Match 'User initializer'
        }

        It 'refuses a name that is not letters, digits and _ (InvalidArgumentValue)' {
            $err = Invoke-Failing { Register-InitInitializer 'my-init' $fillValue }
            $err.FullyQualifiedErrorId | Should -Be 'InvalidArgumentValue,InitCfg.Cmdlets.RegisterInitInitializerCommand'
        }

        It '-WhatIf registers nothing' {
            $t = New-TypeName 'WhatIf'
            Register-InitInitializer $t $fillValue -WhatIf
            Get-InitCatalog -Kind Initializer -Name $t | Should -BeNullOrEmpty
        }

        It '-PassThru returns the catalog entry with argument types and defaults' {
            $t = New-TypeName 'Pass'
            $e = Register-InitInitializer $t $fillValue -Arguments ([ordered]@{ value = 1.5; mode = 'fast'; layers = @('a'); flag = $true }) -Description 'Fills a constant.' -PassThru
            $e | Should -BeOfType ([InitCfg.Core.Reports.CatalogEntry])
            $e.Kind | Should -Be 'Initializer'
            $e.Name | Should -Be $t
            $e.Description | Should -Be 'Fills a constant.'
            @($e.Arguments.Name) | Should -Be @('value', 'mode', 'layers', 'flag', 'bias', 'bias_prob', 'layer')
            @($e.Arguments.Type)[0..3] | Should -Be @('number', 'str', 'str or list of str', 'bool')
            @($e.Arguments.Default)[0..3] | Should -Be @('1.5', "'fast'", "['a']", 'True')
        }

        It 'appears in Get-InitCatalog and in New-InitCfg -Type tab completion' {
            $t = New-TypeName 'Listed'
            Register-InitInitializer $t $fillValue
            (Get-InitCatalog -Kind Initializer -Name $t).Name | Should -Be $t
            $line = "New-InitCfg -Type $($t.Substring(0, 10))"
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $completion.CompletionMatches.CompletionText | Should -Contain $t
        }
    }

    Context '.NET classes (-Class)' {

        BeforeAll {
            $script:ns = New-TypeName 'PsInit'
            Add-Type -ReferencedAssemblies $references -IgnoreWarnings -WarningAction Ignore -TypeDefinition @"
using InitCfg.Core.Configs;
using InitCfg.Core.Initializers;
using static TorchSharp.torch;
namespace $ns
{
    [Initializer("${ns}_Sevens", Description = "Sets weights to 7 * factor.")]
    [InitArgument("factor", ArgumentKind.Number, Default = 1.0)]
    public sealed class SevensInit : InitializerBase
    {
        public SevensInit(InitArguments args) : base(args) { }
        public override string Describe() => "SevensInit: factor=" + Arguments.Raw("factor") + ", " + BiasText;
        protected override void FillWeight(Tensor weight, Generator generator) => weight.fill_(7 * Arguments.Number("factor"));
    }

    public sealed class NotAnInitializer { }
}
"@
        }

        It 'registers an InitializerBase subclass under its [Initializer] name, with its [InitArgument]s' {
            $e = Register-InitInitializer -Class ("$ns.SevensInit" -as [type]) -PassThru
            $e.Name | Should -Be "${ns}_Sevens"
            $e.Description | Should -Be 'Sets weights to 7 * factor.'
            $e.Arguments[0].Name | Should -Be 'factor'
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg @{ type = "${ns}_Sevens"; factor = 2; layer = 'Linear' }
            (Get-Record $m 'fc.weight').Max | Should -Be 14
            (Get-Record $m 'fc.weight').InitInfo | Should -BeExactly 'SevensInit: factor=2, bias=0'
        }

        It 'registers it under -Type when given' {
            $t = New-TypeName 'Sevens'
            Register-InitInitializer -Class ("$ns.SevensInit" -as [type]) -Type $t
            (Get-InitCatalog Initializer $t).Name | Should -Be $t
        }

        It 'refuses a class that is not an InitializerBase (InvalidArgumentType)' {
            $err = Invoke-Failing { Register-InitInitializer -Class ("$ns.NotAnInitializer" -as [type]) }
            $err.FullyQualifiedErrorId | Should -Be 'InvalidArgumentType,InitCfg.Cmdlets.RegisterInitInitializerCommand'
        }
    }
}
