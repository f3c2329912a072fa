BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    function Get-ParameterNames($Model) { @($Model.named_parameters() | ForEach-Object { $_.Item1 }) }

    # A model config with an init_cfg at the top and one on a submodule (cls), as MMDetection writes them.
    $script:specExample = @{
        type     = 'Module'
        init_cfg = @{ type = 'Kaiming'; layer = 'Conv2d' }
        modules  = [ordered]@{
            feat = @{ type = 'Conv2d'; in_channels = 3; out_channels = 16; kernel_size = 3 }
            cls  = @{ type = 'Linear'; in_features = 16; out_features = 10; init_cfg = @{ type = 'Normal'; std = 0.01 } }
        }
    }
}

Describe 'New-InitModel' {

    Context 'Hashtable configs' {

        It 'builds the example config with PyTorch parameter names and shapes' {
            $m = New-InitModel -Config $specExample
            $m | Should -BeOfType ([TorchSharp.torch+nn+Module])
            Get-ParameterNames $m | Should -Be @('feat.weight', 'feat.bias', 'cls.weight', 'cls.bias')
            (Get-NamedParameter $m 'feat.weight').shape | Should -Be @(16, 3, 3, 3)
            (Get-NamedParameter $m 'cls.weight').shape | Should -Be @(10, 16)
        }

        It 'takes the config positionally and from the pipeline' {
            $a = New-InitModel $specExample
            $b = $specExample | New-InitModel
            Get-ParameterNames $b | Should -Be (Get-ParameterNames $a)
        }

        It 'attaches init_cfg to the nodes (Invoke-InitWeights applies them)' {
            $m = New-InitModel -Config $specExample
            Invoke-InitWeights -Model $m -Seed 0 -WarningAction SilentlyContinue
            (Get-InitReport $m | Where-Object Name -EQ 'feat.weight').InitInfo |
                Should -BeExactly 'KaimingInit: a=0, mode=fan_out, nonlinearity=relu, distribution =normal, bias=0'
        }

        It '-Seed makes the default (build-time) initialization reproducible' {
            $a = New-InitModel -Config $specExample -Seed 7
            $b = New-InitModel -Config $specExample -Seed 7
            $c = New-InitModel -Config $specExample -Seed 8
            Get-ModelFingerprint $b | Should -Be (Get-ModelFingerprint $a)
            Get-ModelFingerprint $c | Should -Not -Be (Get-ModelFingerprint $a)
        }

        It 'honours bias = $false' {
            $m = New-InitModel @{ type = 'Conv2d'; in_channels = 3; out_channels = 4; kernel_size = 1; bias = $false }
            Get-ParameterNames $m | Should -Be @('weight')
        }
    }

    Context 'Files' {

        It 'builds from a YAML file' {
            $file = Join-Path $TestDrive 'model.yaml'
            @'
type: Module
class_name: Net
init_cfg:
  type: Kaiming
  layer: Conv2d
modules:
  feat:
    type: Conv2d
    in_channels: 3
    out_channels: 16
    kernel_size: 3
  cls:
    type: Linear
    in_features: 16
    out_features: 10
'@ | Set-Content -Path $file
            $m = New-InitModel -Config $file
            Get-ParameterNames $m | Should -Be @('feat.weight', 'feat.bias', 'cls.weight', 'cls.bias')
        }

        It 'builds from a JSON file, given a relative path' {
            $file = Join-Path $TestDrive 'model.json'
            $specExample | ConvertTo-Json -Depth 10 | Set-Content -Path $file
            Push-Location $TestDrive
            try { $m = New-InitModel ./model.json }
            finally { Pop-Location }
            # ConvertTo-Json of a Hashtable does not keep the modules order, so compare as sets.
            Get-ParameterNames $m | Sort-Object | Should -Be @('cls.bias', 'cls.weight', 'feat.bias', 'feat.weight')
        }

        It 'fails with ConfigFileNotFound for a missing file' {
            $missing = Join-Path $TestDrive 'nope.yaml'
            $err = $null
            try { New-InitModel $missing } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'ConfigFileNotFound,InitCfg.Cmdlets.NewInitModelCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'Containers' {

        It 'Sequential names its children 0, 1, ...' {
            $m = New-InitModel @{ type = 'Sequential'; modules = @(
                    @{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3 }
                    @{ type = 'BatchNorm2d'; num_features = 8 }
                    @{ type = 'ReLU' }
                    @{ type = 'Linear'; in_features = 8; out_features = 2 }) }
            Get-ParameterNames $m | Should -Be @('0.weight', '0.bias', '1.weight', '1.bias', '3.weight', '3.bias')
        }

        It 'ModuleList and ModuleDict nest with dotted names in registration order' {
            $m = New-InitModel @{ type = 'ModuleDict'; modules = [ordered]@{
                    b = @{ type = 'Linear'; in_features = 2; out_features = 3 }
                    a = @{ type = 'ModuleList'; modules = @(@{ type = 'Conv1d'; in_channels = 1; out_channels = 2; kernel_size = 3 }) } } }
            Get-ParameterNames $m | Should -Be @('b.weight', 'b.bias', 'a.0.weight', 'a.0.bias')
        }

        It 'Module with class_name names the class in reports' {
            $m = New-ToyNet
            Get-ParameterNames $m | Should -Be @('conv.weight', 'conv.bias', 'bn.weight', 'bn.bias', 'fc.weight', 'fc.bias')
            Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Conv2d' }
            (Get-InitReport $m | Where-Object Name -EQ 'fc.weight').InitInfo |
                Should -BeExactly 'The value is the same before and after calling `init_weights` of ToyNet '
        }

        It 'an override initializes a named Module (class_name MyHead) as a whole' {
            $m = New-InitModel @{ type = 'Module'; class_name = 'Outer'; modules = [ordered]@{
                    head = @{ type = 'Module'; class_name = 'MyHead'; modules = [ordered]@{ fc = @{ type = 'Linear'; in_features = 2; out_features = 2 } } }
                    fc   = @{ type = 'Linear'; in_features = 2; out_features = 2 } } }
            # A class-name layer match initializes the module's own weight/bias only; an override initializes the whole module.
            Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 3; layer = 'Linear'; override = @{ type = 'Constant'; val = 2; name = 'head' } }
            $r = Get-InitReport $m
            ($r | Where-Object Name -EQ 'head.fc.weight').Max | Should -Be 2
            ($r | Where-Object Name -EQ 'fc.weight').Max | Should -Be 3
        }
    }

    Context 'Architectures' {

        It 'builds resnet18 with torchvision parameter names' {
            $m = New-InitModel @{ type = 'resnet18'; num_classes = 10 }
            $names = Get-ParameterNames $m
            $names[0] | Should -Be 'conv1.weight'
            $names | Should -Contain 'layer1.0.bn1.weight'
            (Get-NamedParameter $m 'fc.weight').shape | Should -Be @(10, 512)
        }
    }

    Context 'Errors' {

        It 'UnknownModuleType names the nearest type' {
            $cfg = @{ type = 'Conv5d' }
            $err = $null
            try { New-InitModel $cfg } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'UnknownModuleType,InitCfg.Cmdlets.NewInitModelCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.TargetObject | Should -Be 'model.type'
            $err.Exception.Message | Should -Match "Did you mean 'Conv"
        }

        It 'writes one non-terminating error per bad config piped in and builds the others' {
            $models = @(@{ type = 'Conv5d' }, @{ type = 'Linear'; in_features = 2; out_features = 3 }) |
                New-InitModel -ErrorVariable errs -ErrorAction SilentlyContinue
            @($models).Count | Should -Be 1
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'UnknownModuleType,InitCfg.Cmdlets.NewInitModelCommand'
        }

        It 'UnknownArgument names the argument and its path' {
            $err = $null
            try { New-InitModel @{ type = 'Module'; modules = [ordered]@{ c = @{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3; kernal = 1 } } } } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'UnknownArgument,InitCfg.Cmdlets.NewInitModelCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -Match 'model\.c\.kernal'
        }

        It 'MissingArgument names the missing argument' {
            $err = $null
            try { New-InitModel @{ type = 'Conv2d'; in_channels = 3; kernel_size = 3 } } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'MissingArgument,InitCfg.Cmdlets.NewInitModelCommand'
            $err.Exception.Message | Should -Match 'out_channels'
        }

        It 'InvalidArgumentType for a string where an int is needed' {
            { New-InitModel @{ type = 'Linear'; in_features = 'two'; out_features = 2 } } |
                Should -Throw -ErrorId 'InvalidArgumentType,InitCfg.Cmdlets.NewInitModelCommand'
        }

        It 'a bad init_cfg only warns at build time, then Invoke-InitWeights refuses it' {
            $m = New-InitModel @{ type = 'Module'; class_name = 'Net'; init_cfg = @{ type = 'Kaimin'; layer = 'Conv2d' }
                modules = [ordered]@{ c = @{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3 } } } -WarningVariable w -WarningAction SilentlyContinue
            $m | Should -Not -BeNullOrEmpty
            @($w).Count | Should -Be 1
            "$($w[0])" | Should -Match "'Kaimin'"
            "$($w[0])" | Should -Match 'Invoke-InitWeights will refuse'
            $before = Get-ModelFingerprint $m
            { Invoke-InitWeights $m } | Should -Throw -ErrorId 'UnknownInitializerType,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            Get-ModelFingerprint $m | Should -Be $before
        }
    }
}

Describe 'New-InitModel with config text and .py files' {
    BeforeAll {
        $script:pyDir = Join-Path ([IO.Path]::GetTempPath()) "initcfg-pester-newmodel-$PID"
        $null = New-Item -ItemType Directory -Path $script:pyDir -Force
        Set-Content -LiteralPath "$script:pyDir/net.py" -Value @"
from torch.nn import Conv2d
channels = [3, 8, 16]
model = dict(type='Sequential', modules=[
    dict(type=Conv2d, in_channels=i, out_channels=o, kernel_size=3)
    for i, o in zip(channels[:-1], channels[1:])])
head = dict(type='Linear', in_features=16, out_features=2)
"@
    }
    AfterAll { Remove-Item -LiteralPath $script:pyDir -Recurse -Force -ErrorAction Ignore }

    It '-Path file.py builds model; -Key builds another key' {
        $m = New-InitModel -Path "$script:pyDir/net.py"
        (Get-InitReport $m).Name | Should -Be @('0.weight', '0.bias', '1.weight', '1.bias')
        (New-InitModel -Path "$script:pyDir/net.py" -Key head).GetType().Name | Should -Be 'Linear'
    }

    It '-Config with a .py path is a path' {
        (Get-InitReport (New-InitModel -Config "$script:pyDir/net.py")).Name | Should -Be @('0.weight', '0.bias', '1.weight', '1.bias')
    }

    It '-Config with Python text builds it' {
        (New-InitModel -Config "dict(type='Linear', in_features=4, out_features=2)").GetType().Name | Should -Be 'Linear'
        (New-InitModel -Config "model = dict(type='Linear', in_features=4, out_features=2)").GetType().Name | Should -Be 'Linear'
    }

    It 'a missing -Key is ConfigKeyNotFound' {
        { New-InitModel -Path "$script:pyDir/net.py" -Key nope } | Should -Throw -ErrorId 'ConfigKeyNotFound,InitCfg.Cmdlets.NewInitModelCommand'
    }
}
