BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    $script:resnet = New-InitModel -Config @{ type = 'resnet18' }
}

Describe 'Get-InitModule' {

    Context 'Records' {

        It 'emits one InitModuleInfo per module, parents first in registration order (print(model) order)' {
            $rows = @(Get-InitModule -Model $resnet)
            $rows | ForEach-Object { $_ | Should -BeOfType ([InitCfg.Core.Walk.InitModuleInfo]) }
            $rows[0].Path | Should -Be ''
            $rows[0].DisplayPath | Should -Be '<root>'
            $rows[0].ClassName | Should -Be 'ResNet'
            $rows[1..6].Path | Should -Be @('conv1', 'bn1', 'relu', 'maxpool', 'layer1', 'layer1.0')
            $expected = @($resnet.named_modules() | ForEach-Object { $_.Item1 }) | Sort-Object
            ($rows | Select-Object -Skip 1 | ForEach-Object Path | Sort-Object) | Should -Be $expected
        }

        It 'gives layer types, direct parameter counts, children and the module itself' {
            $conv1 = Get-InitModule $resnet -Path conv1
            $conv1.LayerTypes | Should -Be @('Conv2d', '_ConvNd', 'Convolution')
            $conv1.Parameters | Should -Be (64 * 3 * 7 * 7)
            $conv1.ParameterTensors | Should -Be 1
            $conv1.Children | Should -Be 0
            $module = ($resnet.named_modules() | Where-Object Item1 -EQ 'conv1').Item2
            [object]::ReferenceEquals($conv1.Module, $module) | Should -BeTrue
            $root = Get-InitModule $resnet -Depth 0
            $root.Parameters | Should -Be 0
            $root.Children | Should -Be 11
            # Direct counts add up to the model's.
            (Get-InitModule $resnet | Measure-Object Parameters -Sum).Sum | Should -Be 11689512
        }

        It 'shows each module''s own init_cfg as MMEngine prints it, and whether it is initialized' {
            $m = New-ToyNet -InitCfg @{ type = 'Kaiming'; layer = 'Conv2d' }
            $rows = @(Get-InitModule $m)
            $rows[0].InitCfg | Should -BeExactly "dict(type='Kaiming', layer='Conv2d')"
            $rows[1].InitCfg | Should -BeNullOrEmpty
            $rows.Initialized | Should -Not -Contain $true
            Invoke-InitWeights $m
            (Get-InitModule $m -Depth 0).Initialized | Should -BeTrue
        }
    }

    Context 'Depth and paths' {

        It '-Depth limits the levels below the start' {
            @(Get-InitModule $resnet -Depth 0).Count | Should -Be 1
            $one = @(Get-InitModule $resnet -Depth 1)
            $one.Count | Should -Be 12
            ($one | Where-Object Depth -GT 1) | Should -BeNullOrEmpty
            @(Get-InitModule $resnet -Path layer1 -Depth 1).Path | Should -Be @('layer1', 'layer1.0', 'layer1.1')
        }

        It '-Path starts at submodules (full paths kept); several paths list each subtree' {
            $rows = @(Get-InitModule $resnet -Path layer4.1, fc)
            $rows.Path | Should -Be @('layer4.1', 'layer4.1.conv1', 'layer4.1.bn1', 'layer4.1.conv2', 'layer4.1.bn2', 'layer4.1.relu1', 'fc')
            $rows[0].Depth | Should -Be 0
            $rows[1].Depth | Should -Be 1
        }

        It 'a path the model lacks is a ModuleNotFound error naming the nearest path; the others are still listed' {
            $rows = @(Get-InitModule $resnet -Path layer9, fc -ErrorVariable err -ErrorAction SilentlyContinue)
            $rows.Path | Should -Be @('fc')
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'ModuleNotFound,InitCfg.Cmdlets.GetInitModuleCommand'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].Exception.Message | Should -Match "no submodule 'layer9'"
        }

        It 'refuses a negative depth' {
            { Get-InitModule $resnet -Depth -1 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,InitCfg.Cmdlets.GetInitModuleCommand'
        }

        It 'takes models from the pipeline' {
            $rows = @((New-ToyNet), (New-ToyNet) | Get-InitModule -Depth 0)
            $rows.Count | Should -Be 2
            $rows.ClassName | Should -Be @('ToyNet', 'ToyNet')
        }
    }

    Context 'Properties every module gets' {

        It 'ClassName, ParameterCount, ParameterBytes, Initialized, and an InitCfg any module can carry' {
            $resnet.ClassName | Should -Be 'ResNet'
            $resnet.ParameterCount | Should -Be 11689512
            $resnet.ParameterBytes | Should -Be (11689512 * 4)
            $resnet.Initialized | Should -BeFalse
            $conv = New-InitModel -Config @{ type = 'Conv2d'; in_channels = 3; out_channels = 4; kernel_size = 1 }
            $conv.InitCfg | Should -BeNullOrEmpty
            $conv.InitCfg = @{ type = 'Constant'; val = 2; layer = 'Conv2d' }
            (Get-InitModule $conv).InitCfg | Should -BeExactly "dict(type='Constant', val=2, layer='Conv2d')"
            $conv.InitCfg | Should -BeOfType ([InitCfg.InitConfig])
            "$($conv.InitCfg)" | Should -BeExactly "dict(type='Constant', val=2, layer='Conv2d')"
            Invoke-InitWeights $conv
            $conv.Initialized | Should -BeTrue
            (Get-InitReport $conv)[0].Max | Should -Be 2
        }

        It 'InitCfg goes back into -InitCfg as it is, and a config init would refuse reads back as given' {
            $a = New-ToyNet -InitCfg @{ type = 'Constant'; val = 3; layer = 'Linear' }
            $b = New-ToyNet
            Invoke-InitWeights $b -InitCfg $a.InitCfg
            (Get-InitReport $b | Where-Object Name -EQ 'fc.weight').Max | Should -Be 3
            $bad = New-ToyNet -InitCfg @{ type = 'Constnt'; val = 3 }
            $bad.InitCfg -is [InitCfg.Core.Configs.ConfigMap] | Should -BeTrue
            (Get-InitModule $bad -Depth 0).InitCfg | Should -BeExactly "dict(type='Constnt', val=3)"
        }

        It 'keeps TorchSharp''s own members usable (parameters(), training)' {
            @($resnet.parameters()).Count | Should -Be 62
            $resnet.training | Should -BeTrue
        }
    }
}
