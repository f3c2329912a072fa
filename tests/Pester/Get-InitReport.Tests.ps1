BeforeDiscovery {
    $goldenFile = Join-Path $PSScriptRoot '../../../shared/golden/c_retina_head_like.json'
    $noGolden = -not (Test-Path $goldenFile)
}

BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    function Get-FirstInitInfo($InitCfg) {
        $m = New-InitModel @{ type = 'Sequential'; modules = @(@{ type = 'Conv2d'; in_channels = 3; out_channels = 4; kernel_size = 3 }) }
        Invoke-InitWeights $m -InitCfg $InitCfg -Seed 0
        (Get-InitReport $m)[0].InitInfo
    }

    $script:net = New-ToyNet
    Invoke-InitWeights $net -Seed 0 -InitCfg @(
        @{ type = 'Kaiming'; layer = 'Conv2d' }
        @{ type = 'Constant'; val = 1; layer = '_BatchNorm' }
    )
    $script:records = @(Get-InitReport -Model $net)
}

Describe 'Get-InitReport' {

    Context 'Records' {

        It 'emits one [InitCfg.ParameterInitRecord] per parameter, in named_parameters order' {
            $records.Count | Should -Be 6
            $records | ForEach-Object { $_ | Should -BeOfType ([InitCfg.ParameterInitRecord]) }
            $records.Name | Should -Be @($net.named_parameters() | ForEach-Object { $_.Item1 })
            $records.Name | Should -Be @('conv.weight', 'conv.bias', 'bn.weight', 'bn.bias', 'fc.weight', 'fc.bias')
        }

        It 'has the properties Name, Shape, InitInfo, Initializer, Mean, Std, Min, Max' {
            $names = $records[0].PSObject.Properties.Name
            foreach ($p in 'Name', 'Shape', 'InitInfo', 'Initializer', 'Mean', 'Std', 'Min', 'Max') { $names | Should -Contain $p }
        }

        It 'gives the shape as PyTorch does' {
            $records[0].Shape | Should -Be @(8, 3, 3, 3)
            $records[0].ShapeText | Should -Be '[8, 3, 3, 3]'
        }

        It 'gives the statistics of the tensor after init' {
            $bn = $records | Where-Object Name -EQ 'bn.weight'
            $bn.Mean | Should -Be 1
            $bn.Std | Should -Be 0
            $bn.Min | Should -Be 1
            $bn.Max | Should -Be 1
            $w = $records[0]
            $w.Min | Should -BeLessThan $w.Mean
            $w.Max | Should -BeGreaterThan $w.Mean
            $w.Std | Should -BeGreaterThan 0
        }

        It 'names the initializer, the module and the config that wrote each tensor' {
            $records[0].Initializer | Should -Be 'Kaiming'
            $records[0].ModulePath | Should -Be ''
            $records[0].ConfigPath | Should -Be 'init_cfg[0]'
            ($records | Where-Object Name -EQ 'bn.bias').ConfigPath | Should -Be 'init_cfg[1]'
        }

        It 'takes the model from the pipeline' {
            $fromPipe = @($net | Get-InitReport)
            $fromPipe.Name | Should -Be $records.Name
        }
    }

    Context 'InitInfo texts as MMEngine prints them' {

        It 'Kaiming' {
            $records[0].InitInfo | Should -BeExactly 'KaimingInit: a=0, mode=fan_out, nonlinearity=relu, distribution =normal, bias=0'
            $records[1].InitInfo | Should -BeExactly $records[0].InitInfo
        }

        It 'Constant' {
            ($records | Where-Object Name -EQ 'bn.weight').InitInfo | Should -BeExactly 'ConstantInit: val=1, bias=0'
            Get-FirstInitInfo @{ type = 'Constant'; val = 1.0; bias = 2; layer = 'Conv2d' } | Should -BeExactly 'ConstantInit: val=1.0, bias=2'
        }

        It 'untouched parameters (with the trailing space)' {
            ($records | Where-Object Name -EQ 'fc.weight').InitInfo |
                Should -BeExactly 'The value is the same before and after calling `init_weights` of ToyNet '
            ($records | Where-Object Name -EQ 'fc.weight').Written | Should -BeFalse
        }

        It '<Expected>' -ForEach @(
            @{ Cfg = @{ type = 'Xavier'; layer = 'Conv2d' }; Expected = 'XavierInit: gain=1, distribution=normal, bias=0' }
            @{ Cfg = @{ type = 'Normal'; std = 1e-5; layer = 'Conv2d' }; Expected = 'NormalInit: mean=0, std=1e-05, bias=0' }
            @{ Cfg = @{ type = 'TruncNormal'; layer = 'Conv2d' }; Expected = 'TruncNormalInit: a=-2, b=2, mean=0, std=1, bias=0' }
            @{ Cfg = @{ type = 'Uniform'; layer = 'Conv2d' }; Expected = 'UniformInit: a=0, b=1, bias=0' }
            @{ Cfg = @{ type = 'Caffe2Xavier'; layer = 'Conv2d' }; Expected = 'Caffe2XavierInit: a=1, mode=fan_in, nonlinearity=leaky_relu, distribution =uniform, bias=0' }
            @{ Cfg = @{ type = 'Kaiming'; a = 0.1; bias = -0.5; layer = 'Conv2d' }; Expected = 'KaimingInit: a=0.1, mode=fan_out, nonlinearity=relu, distribution =normal, bias=-0.5' }
        ) {
            Get-FirstInitInfo $Cfg | Should -BeExactly $Expected
        }
    }

    Context '-AsLog and -Summary' {

        It '-AsLog prints MMEngine''s log text' {
            $log = Get-InitReport $net -AsLog
            @($log).Count | Should -Be 1
            $log | Should -BeOfType ([string])
            $log.StartsWith('Name of parameter - Initialization information') | Should -BeTrue
            $log | Should -Match ([regex]::Escape('conv.weight - torch.Size([8, 3, 3, 3]): '))
            $log | Should -Match ([regex]::Escape("conv.weight - torch.Size([8, 3, 3, 3]): `nKaimingInit: a=0, mode=fan_out, nonlinearity=relu, distribution =normal, bias=0 `n"))
            $log | Should -Match ([regex]::Escape('The value is the same before and after calling `init_weights` of ToyNet '))
        }

        It '-Summary gives one row per initializer with Tensors and Elements' {
            $rows = @(Get-InitReport $net -Summary)
            $rows | ForEach-Object { $_ | Should -BeOfType ([InitCfg.InitSummaryRow]) }
            $rows[0].PSObject.Properties.Name | Should -Be @('Initializer', 'Tensors', 'Elements')
            $kaiming = $rows | Where-Object Initializer -EQ 'Kaiming'
            $kaiming.Tensors | Should -Be 2
            $kaiming.Elements | Should -Be (8 * 3 * 3 * 3 + 8)
            ($rows | Where-Object Initializer -EQ 'Constant').Elements | Should -Be 16
            ($rows | Where-Object Initializer -EQ '(none)').Tensors | Should -Be 2
            ($rows | Measure-Object Tensors -Sum).Sum | Should -Be 6
        }
    }

    Context 'Formatting and metadata' {

        It 'the default table view shows Name, Shape, InitInfo' {
            $text = Get-InitReport $net | Format-Table | Out-String
            $header = ($text -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1)
            $header | Should -Match '^\s*Name\s+Shape\s+InitInfo\s*$'
            $text | Should -Match ([regex]::Escape('[8, 3, 3, 3]'))
            $text | Should -Not -Match '\bMean\b'
        }

        It 'declares its output types' {
            $types = (Get-Command Get-InitReport).OutputType.Type
            $types | Should -Contain ([InitCfg.ParameterInitRecord])
            $types | Should -Contain ([string])
            $types | Should -Contain ([InitCfg.InitSummaryRow])
        }
    }

    Context 'Golden scenario c_retina_head_like (PyTorch 1.13 + MMEngine 0.11), skipped when ../shared/golden is absent' {

        BeforeAll {
            $file = Join-Path (Get-GoldenDirectory) 'c_retina_head_like.json'
            if (Test-Path $file) {
                $script:golden = Get-Content -Raw -Path $file | ConvertFrom-Json -AsHashtable
                $script:gModel = New-InitModel -Config $golden.model -Seed $golden.build_seed
                Invoke-InitWeights -Model $gModel -Seed $golden.seed
                $script:gReport = @(Get-InitReport -Model $gModel)
                $script:gParams = @($gModel.named_parameters())
            }
        }

        It 'has the golden parameter names and shapes' -Skip:$noGolden {
            $gReport.Name | Should -Be @($golden.expect.params | ForEach-Object { $_.name })
            for ($i = 0; $i -lt $gReport.Count; $i++) { $gReport[$i].Shape | Should -Be $golden.expect.params[$i].shape }
        }

        It 'matches the golden sha256 of every parameter (float32 little-endian bytes)' -Skip:$noGolden {
            $mismatched = for ($i = 0; $i -lt $gParams.Count; $i++) {
                $expected = $golden.expect.params[$i]
                if ((Get-TensorSha256 $gParams[$i].Item2) -ne $expected.sha256) { $expected.name }
            }
            $mismatched | Should -BeNullOrEmpty
        }

        It 'matches the golden first four values exactly' -Skip:$noGolden {
            for ($i = 0; $i -lt $gParams.Count; $i++) {
                $values = Get-TensorValues $gParams[$i].Item2
                $first4 = @($values[0..3] | ForEach-Object { [double]$_ })
                $first4 | Should -Be $golden.expect.params[$i].first4 -Because $golden.expect.params[$i].name
            }
        }

        It 'reports init_info_exact as InitInfo' -Skip:$noGolden {
            for ($i = 0; $i -lt $gReport.Count; $i++) {
                $gReport[$i].InitInfo | Should -BeExactly $golden.expect.params[$i].init_info_exact -Because $gReport[$i].Name
            }
        }
    }
}
