# Registrations are process-global (one registry per session): every test uses unique type and namespace names.

BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    function New-TypeName([string]$Stem) { $Stem + [guid]::NewGuid().ToString('N').Substring(0, 8) }
    function Get-Record($Model, [string]$Name) { Get-InitReport $Model | Where-Object Name -EQ $Name }
    function Invoke-Failing([scriptblock]$ScriptBlock) { try { & $ScriptBlock; $null } catch { $_ } }

    $moduleBase = (Get-Module InitCfg).ModuleBase
    $script:references = @((Join-Path $moduleBase 'dependencies/InitCfg.Core.dll'), (Join-Path $moduleBase 'TorchSharp.dll'))

    # C# for a namespace of module classes; [InitModule] ones are what -AssemblyPath registers.
    function Get-ModuleSource([string]$Namespace) {
        @"
using InitCfg.Core.Building;
using TorchSharp;
using static TorchSharp.torch;
namespace $Namespace
{
    public sealed class PsBlock : nn.Module
    {
        public PsBlock(long inChannels, long outChannels = 4, bool useNorm = true) : base("PsBlock")
        {
            register_module("conv", nn.Conv2d(inChannels, outChannels, 3, bias: false));
            if (useNorm) register_module("norm", nn.BatchNorm2d(outChannels));
        }
    }

    public sealed class ScaleLayer : nn.Module
    {
        public ScaleLayer(long channels) : base("ScaleLayer") => register_parameter("weight", nn.Parameter(ones(channels)));
    }

    [InitModule("${Namespace}_Head", Description = "A classification head.")]
    public sealed class Head : nn.Module
    {
        public Head(long inFeatures, long numClasses = 3) : base("Head") => register_module("fc", nn.Linear(inFeatures, numClasses));
    }

    [InitModule]
    public sealed class Neck : nn.Module
    {
        public Neck(long channels = 8) : base("Neck") => register_module("lateral", nn.Conv2d(channels, channels, 1));
    }
}
"@
    }

    $script:ns = New-TypeName 'PsMods'
    Add-Type -ReferencedAssemblies $references -IgnoreWarnings -WarningAction Ignore -TypeDefinition (Get-ModuleSource $ns)
    $script:blockType = "$ns.PsBlock" -as [type]
    $script:scaleType = "$ns.ScaleLayer" -as [type]
}

Describe 'Register-InitModule' {

    Context '-Class' {

        It 'registers a TorchSharp module class that New-InitModel then builds, its constructor parameters as snake_case arguments' {
            $t = New-TypeName 'Block'
            Register-InitModule -Class $blockType -Type $t
            $m = New-InitModel @{ type = $t; in_channels = 3; out_channels = 6 }
            $m | Should -BeOfType $blockType
            @($m.named_parameters() | ForEach-Object { $_.Item1 }) | Should -Be @('conv.weight', 'norm.weight', 'norm.bias')
            (Get-NamedParameter $m 'conv.weight').shape | Should -Be @(6, 3, 3, 3)
        }

        It 'uses constructor defaults for arguments left out, and takes booleans' {
            $t = New-TypeName 'Block'
            Register-InitModule $blockType $t
            $m = New-InitModel @{ type = $t; in_channels = 2; use_norm = $false }
            @($m.named_parameters() | ForEach-Object { $_.Item1 }) | Should -Be @('conv.weight')
            (Get-NamedParameter $m 'conv.weight').shape | Should -Be @(4, 2, 3, 3)
        }

        It 'registers under the class name by default, and takes the class from the pipeline' {
            $script:scaleType | Register-InitModule -Force
            (Get-InitCatalog -Kind Module -Name ScaleLayer).Name | Should -Be 'ScaleLayer'
        }

        It 'nests the class in containers, with init_cfg on it, matched by its class name as a layer type' {
            $t = New-TypeName 'Block'
            Register-InitModule $blockType $t
            $s = New-TypeName 'Scale'
            Register-InitModule $scaleType $s
            $m = New-InitModel @{
                type = 'Module'; class_name = 'Net'
                init_cfg = @{ type = 'Constant'; val = 2; layer = 'ScaleLayer' }
                modules = [ordered]@{
                    block = @{ type = $t; in_channels = 3; init_cfg = @{ type = 'Constant'; val = 5; layer = 'Conv2d' } }
                    scale = @{ type = $s; channels = 4 }
                }
            }
            Invoke-InitWeights $m
            (Get-Record $m 'block.conv.weight').Max | Should -Be 5
            (Get-Record $m 'scale.weight').InitInfo | Should -BeExactly 'ConstantInit: val=2, bias=0'
        }

        It 'reports a missing required argument when building (MissingArgument)' {
            $t = New-TypeName 'Block'
            Register-InitModule $blockType $t
            $err = Invoke-Failing { New-InitModel @{ type = $t; out_channels = 2 } }
            $err.FullyQualifiedErrorId | Should -Be 'MissingArgument,InitCfg.Cmdlets.NewInitModelCommand'
            $err.Exception.Message | Should -Match 'in_channels'
        }

        It '-PassThru returns the catalog entry with argument types and defaults' {
            $t = New-TypeName 'Block'
            $e = Register-InitModule $blockType $t -PassThru
            $e | Should -BeOfType ([InitCfg.Core.Reports.CatalogEntry])
            $e.Kind | Should -Be 'Module'
            $e.Name | Should -Be $t
            @($e.Arguments.Name) | Should -Be @('in_channels', 'out_channels', 'use_norm')
            @($e.Arguments.Type) | Should -Be @('int', 'int', 'bool')
            @($e.Arguments.Required) | Should -Be @($true, $false, $false)
            @($e.Arguments.Default)[1..2] | Should -Be @('4', 'True')
        }

        It 'refuses a taken name (DuplicateRegistration) unless -Force, built-in names included' {
            $t = New-TypeName 'Block'
            Register-InitModule $blockType $t
            (Invoke-Failing { Register-InitModule $blockType $t }).FullyQualifiedErrorId | Should -Be 'DuplicateRegistration,InitCfg.Cmdlets.RegisterInitModuleCommand'
            (Invoke-Failing { Register-InitModule $blockType 'Conv2d' }).FullyQualifiedErrorId | Should -Be 'DuplicateRegistration,InitCfg.Cmdlets.RegisterInitModuleCommand'
            { Register-InitModule $blockType $t -Force } | Should -Not -Throw
        }

        It 'refuses a class that is not a TorchSharp module (InvalidArgumentType)' {
            (Invoke-Failing { Register-InitModule ([string]) }).FullyQualifiedErrorId | Should -Be 'InvalidArgumentType,InitCfg.Cmdlets.RegisterInitModuleCommand'
        }

        It 'writes one non-terminating error per bad class piped in and registers the others' {
            $t = New-TypeName 'Block'
            $out = @([string], $blockType) | Register-InitModule -Type $t -PassThru -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidArgumentType,InitCfg.Cmdlets.RegisterInitModuleCommand'
            @($out).Name | Should -Be @($t)
        }

        It '-WhatIf registers nothing' {
            $t = New-TypeName 'Block'
            Register-InitModule $blockType $t -WhatIf
            Get-InitCatalog -Kind Module -Name $t | Should -BeNullOrEmpty
        }

        It 'appears in Get-InitCatalog and in New-InitCfg -Layer tab completion' {
            $t = New-TypeName 'Completed'
            Register-InitModule $scaleType $t
            (Get-InitCatalog Module $t).Name | Should -Be $t
            $line = "New-InitCfg -Type Constant -Val 1 -Layer $($t.Substring(0, 12))"
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $completion.CompletionMatches.CompletionText | Should -Contain $t
        }
    }

    Context '-AssemblyPath' {

        It 'registers every [InitModule] class of a compiled assembly, under its attribute name or class name' {
            $asmNs = New-TypeName 'PsAsm'
            $dll = Join-Path $TestDrive "$asmNs.dll"
            Add-Type -ReferencedAssemblies $references -IgnoreWarnings -WarningAction Ignore -TypeDefinition (Get-ModuleSource $asmNs) -OutputAssembly $dll -OutputType Library
            $entries = @(Register-InitModule -AssemblyPath $dll -PassThru -Force)
            @($entries.Name | Sort-Object) | Should -Be @(@("${asmNs}_Head", 'Neck') | Sort-Object)
            ($entries | Where-Object Name -EQ "${asmNs}_Head").Description | Should -Be 'A classification head.'
            $m = New-InitModel @{ type = "${asmNs}_Head"; in_features = 8 }
            (Get-NamedParameter $m 'fc.weight').shape | Should -Be @(3, 8)
            Get-InitCatalog Module 'PsBlock' | Should -BeNullOrEmpty
        }

        It 'resolves a relative -AssemblyPath against the current location' {
            $asmNs = New-TypeName 'PsRel'
            Add-Type -ReferencedAssemblies $references -IgnoreWarnings -WarningAction Ignore -TypeDefinition (Get-ModuleSource $asmNs) -OutputAssembly (Join-Path $TestDrive "$asmNs.dll") -OutputType Library
            Push-Location -LiteralPath $TestDrive
            try { Register-InitModule -AssemblyPath "./$asmNs.dll" -Force }
            finally { Pop-Location }
            (Get-InitCatalog Module "${asmNs}_Head").Name | Should -Be "${asmNs}_Head"
        }

        It 'an assembly without [InitModule] classes: UnknownModuleType' {
            $plainNs = New-TypeName 'PsPlain'
            $dll = Join-Path $TestDrive "$plainNs.dll"
            Add-Type -TypeDefinition "namespace $plainNs { public class Nothing { } }" -OutputAssembly $dll -OutputType Library -IgnoreWarnings -WarningAction Ignore
            (Invoke-Failing { Register-InitModule -AssemblyPath $dll }).FullyQualifiedErrorId | Should -Be 'UnknownModuleType,InitCfg.Cmdlets.RegisterInitModuleCommand'
        }

        It 'a file that is missing or not an assembly: AssemblyUnreadable' {
            (Invoke-Failing { Register-InitModule -AssemblyPath (Join-Path $TestDrive 'none.dll') }).FullyQualifiedErrorId |
                Should -Be 'AssemblyUnreadable,InitCfg.Cmdlets.RegisterInitModuleCommand'
            $bad = Join-Path $TestDrive 'bad.dll'
            Set-Content -LiteralPath $bad -Value 'not a PE file'
            (Invoke-Failing { Register-InitModule -AssemblyPath $bad }).FullyQualifiedErrorId | Should -Be 'AssemblyUnreadable,InitCfg.Cmdlets.RegisterInitModuleCommand'
        }
    }
}
