BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force

    function Get-Entry([string]$Kind, [string]$Name) { Get-InitCatalog -Kind $Kind | Where-Object Name -CEQ $Name }
    function Get-Argument($Entry, [string]$Name) { $Entry.Arguments | Where-Object Name -EQ $Name }
}

Describe 'Get-InitCatalog' {

    Context 'Initializers' {

        It 'lists MMEngine''s initializers, the extra ones and Pretrained, as CatalogEntry objects' {
            $entries = @(Get-InitCatalog -Kind Initializer)
            $entries | ForEach-Object { $_ | Should -BeOfType ([InitCfg.Core.Reports.CatalogEntry]) }
            foreach ($t in 'Constant', 'Xavier', 'Normal', 'TruncNormal', 'Uniform', 'Kaiming', 'Caffe2Xavier', 'Pretrained', 'Orthogonal', 'Dirac', 'Eye') {
                $entries.Name | Should -Contain $t
            }
            $entries.Kind | Select-Object -Unique | Should -Be 'Initializer'
        }

        It 'gives MMEngine''s defaults, printed as Python prints them' {
            (Get-Entry Initializer Kaiming).Signature | Should -BeExactly "a=0, mode='fan_out', nonlinearity='relu', distribution='normal', bias=0, bias_prob=None, layer=None"
            (Get-Entry Initializer Xavier).Signature | Should -BeExactly "gain=1, distribution='normal', bias=0, bias_prob=None, layer=None"
            (Get-Entry Initializer TruncNormal).Signature | Should -BeExactly 'mean=0, std=1, a=-2, b=2, bias=0, bias_prob=None, layer=None'
            (Get-Entry Initializer Constant).Signature | Should -BeExactly 'val (number, required), bias=0, bias_prob=None, layer=None'
        }

        It 'describes Pretrained: checkpoint required, prefix None, map_location cpu, no bias or layer' {
            $p = Get-Entry Initializer Pretrained
            @($p.Arguments.Name) | Should -Be @('checkpoint', 'prefix', 'map_location')
            (Get-Argument $p checkpoint).Required | Should -BeTrue
            (Get-Argument $p checkpoint).Type | Should -Be 'str'
            (Get-Argument $p prefix).Default | Should -Be 'None'
            (Get-Argument $p map_location).Default | Should -Be "'cpu'"
        }

        It 'gives each argument a type, and the choices of enumerated ones' {
            $k = Get-Entry Initializer Kaiming
            (Get-Argument $k mode).Type | Should -Be 'fan_in|fan_out'
            (Get-Argument $k distribution).Type | Should -Be 'normal|uniform'
            (Get-Argument $k a).Type | Should -Be 'number'
            (Get-Argument $k layer).Type | Should -Be 'str or list of str'
            $k.Arguments | ForEach-Object { $_.Description | Should -Not -BeNullOrEmpty }
        }
    }

    Context 'Modules' {

        It 'lists layers, containers and architectures' {
            $names = @(Get-InitCatalog -Kind Module).Name
            foreach ($t in 'Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose2d', 'Linear', 'BatchNorm2d', 'GroupNorm', 'LayerNorm', 'InstanceNorm2d', 'Embedding',
                'MultiheadAttention', 'ReLU', 'Sequential', 'ModuleList', 'ModuleDict', 'Module', 'resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'ResNet') {
                $names | Should -Contain $t
            }
        }

        It 'gives PyTorch''s argument names and defaults for layers' {
            (Get-Entry Module Conv2d).Signature | Should -BeExactly 'in_channels (int, required), out_channels (int, required), kernel_size (int or list of int, required), stride=1, padding=0, dilation=1, groups=1, bias=True'
            (Get-Entry Module BatchNorm2d).Signature | Should -BeExactly 'num_features (int, required), eps=1e-05, momentum=0.1, affine=True, track_running_stats=True'
        }

        It 'describes the torchvision resnets and MMDetection''s ResNet' {
            (Get-Entry Module resnet50).Signature | Should -BeExactly 'num_classes=1000, zero_init_residual=False'
            $r = Get-Entry Module ResNet
            (Get-Argument $r depth).Required | Should -BeTrue
            (Get-Argument $r zero_init_residual).Default | Should -Be 'True'
            (Get-Argument $r strides).Default | Should -Be '[1, 2, 2, 2]'
            (Get-Argument $r norm_cfg).Type | Should -Be 'any (ignored)'
        }

        It 'describes containers by their modules argument, and Module by class_name too' {
            (Get-Entry Module Sequential).Arguments.Name | Should -Be 'modules'
            (Get-Entry Module Sequential).Arguments.Type | Should -Be 'list of nodes'
            @((Get-Entry Module Module).Arguments.Name) | Should -Be @('modules', 'class_name')
            (Get-Entry Module ModuleDict).Arguments.Type | Should -Be 'map of name to node'
        }
    }

    Context 'Filtering' {

        It 'lists both kinds without -Kind, initializers first' {
            $all = @(Get-InitCatalog)
            $all.Count | Should -Be (@(Get-InitCatalog -Kind Initializer).Count + @(Get-InitCatalog -Kind Module).Count)
            $all[0].Kind | Should -Be 'Initializer'
            $all[-1].Kind | Should -Be 'Module'
        }

        It 'filters -Name by a case-insensitive wildcard' {
            @(Get-InitCatalog -Kind Module -Name 'res*').Name | Should -Be @('resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'ResNet', 'ResNetV1d', 'ResNeXt')
            @(Get-InitCatalog -Name '*norm*' -Kind Initializer).Name | Should -Be @('Normal', 'TruncNormal')
            (Get-InitCatalog Initializer kaiming).Name | Should -Be 'Kaiming'
        }

        It 'takes -Kind case-insensitively and by position' {
            @(Get-InitCatalog initializer).Count | Should -Be @(Get-InitCatalog -Kind Initializer).Count
        }

        It 'returns nothing for a name that matches nothing' {
            Get-InitCatalog -Name 'NoSuchThing*' | Should -BeNullOrEmpty
        }

        It 'refuses an unknown -Kind' {
            { Get-InitCatalog -Kind Layer } | Should -Throw -ErrorId 'ParameterArgumentValidationError,InitCfg.Cmdlets.GetInitCatalogCommand'
        }
    }

    Context 'Registered types' {

        It 'lists a script-block initializer and a module class as soon as they are registered' {
            $t = 'CatInit' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            Get-InitCatalog -Name $t | Should -BeNullOrEmpty
            Register-InitInitializer $t { param($Module, $Weight) $null = $Weight.zero_() } -Arguments @{ k = 2 } -Description 'Zeroes.'
            $e = Get-InitCatalog -Name $t
            $e.Kind | Should -Be 'Initializer'
            $e.Description | Should -Be 'Zeroes.'
            $e.Signature | Should -BeExactly 'k=2, bias=0, bias_prob=None, layer=None'

            $mt = 'CatMod' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            $base = (Get-Module InitCfg).ModuleBase
            Add-Type -ReferencedAssemblies (Join-Path $base 'TorchSharp.dll') -IgnoreWarnings -WarningAction Ignore -TypeDefinition @"
namespace $mt { public sealed class Block : TorchSharp.torch.nn.Module { public Block(long width = 2) : base("Block") { } } }
"@
            Register-InitModule -Class ("$mt.Block" -as [type]) -Type $mt
            (Get-InitCatalog -Kind Module -Name $mt).Signature | Should -BeExactly 'width=2'
        }
    }
}
