BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    $script:dir = Join-Path ([IO.Path]::GetTempPath()) "initcfg-pester-export-$PID"
    $null = New-Item -ItemType Directory -Path $script:dir -Force
    $script:cfg = [ordered]@{
        model = [ordered]@{ type = 'Net'; depth = 50; std = 0.01; strides = @(1, 2) }
        lr    = 0.02
    }
}

AfterAll { Remove-Item -LiteralPath $script:dir -Recurse -Force -ErrorAction Ignore }

Describe 'Export-InitConfig' {

    It 'writes <Name> and reads it back equal' -ForEach @(@{ Name = 'a.py' }, @{ Name = 'a.yaml' }, @{ Name = 'a.json' }) {
        $file = Join-Path $script:dir $Name
        $info = Export-InitConfig -InputObject $script:cfg -Path $file -PassThru
        $info | Should -BeOfType ([IO.FileInfo])
        $back = Import-InitConfig $file
        $back.model.depth | Should -BeOfType ([long])
        $back.model.std | Should -BeOfType ([double])
        ($back.model.strides -join ',') | Should -Be '1,2'
        $back.lr | Should -Be 0.02
    }

    It 'writes .py as MMEngine pretty text' {
        $file = Join-Path $script:dir 'pretty.py'
        # Expected: MMEngine 0.11.0rc0's Config.pretty_text for the same config.
        $cfg = [ordered]@{ model = [ordered]@{ type = 'Net'; depth = 50; strides = @(1, 2); names = @('a'); cfgs = @([ordered]@{ k = 1 }); maps = [ordered]@{ 'a b' = 1 } }; lr = 0.02 }
        Export-InitConfig $cfg $file
        (Get-Content -LiteralPath $file -Raw) | Should -BeExactly "lr = 0.02`nmodel = dict(`n    cfgs=[`n        dict(k=1),`n    ],`n    depth=50,`n    maps=dict({'a b': 1}),`n    names=[`n        'a',`n    ],`n    strides=[`n        1,`n        2,`n    ],`n    type='Net')`n"
    }

    It 'refuses to overwrite without -Force, and -Force replaces' {
        $file = Join-Path $script:dir 'twice.json'
        Export-InitConfig $script:cfg $file
        Export-InitConfig $script:cfg $file -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'ExportTargetExists,InitCfg.Cmdlets.ExportInitConfigCommand'
        Export-InitConfig @{ x = 1 } $file -Force
        (Get-Content -LiteralPath $file -Raw) | Should -Match '"x": 1'
    }

    It '-WhatIf writes nothing' {
        $file = Join-Path $script:dir 'whatif.yaml'
        Export-InitConfig $script:cfg $file -WhatIf
        Test-Path -LiteralPath $file | Should -BeFalse
    }

    It 'an unknown extension is UnsupportedFormat' {
        { Export-InitConfig $script:cfg (Join-Path $script:dir 'a.txt') -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnsupportedFormat,InitCfg.Cmdlets.ExportInitConfigCommand'
    }

    It 'writes what MMEngine dumps: Import-InitConfig | Export-InitConfig of <Config> is its Config.fromfile(...).dump()' -ForEach @(
        @{ Config = 'configs/bytetrack/bytetrack_yolox_x_8xb4-80e_crowdhuman-mot17halftrain_test-mot17halfval.py' },
        @{ Config = 'mmdet/configs/detr/detr_r50_8xb2_150e_coco.py' }
    ) {
        $sample = Join-Path $PSScriptRoot '../../../shared/mmdet-configs'
        if (-not (Test-Path -LiteralPath (Join-Path $sample 'configs.txt'))) { Set-ItResult -Skipped -Because '../shared/mmdet-configs is absent'; return }
        # Expected: MMEngine 0.11.0rc0's own dump of the config (tests/Core.Tests/Configs/Python/PrettyTextDumps/README.md).
        $expected = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot "../Core.Tests/Configs/Python/PrettyTextDumps/$Config")
        $file = Join-Path $script:dir ([IO.Path]::GetFileName($Config))
        Import-InitConfig (Join-Path $sample "files/$Config") | Export-InitConfig -Path $file -Force
        (Get-Content -Raw -LiteralPath $file) | Should -BeExactly $expected
    }

    It 'takes config text and pipeline input' {
        $file = Join-Path $script:dir 'text.py'
        "dict(model=dict(type='Net', n=(1, 2)))" | Export-InitConfig -Path $file
        (Import-InitConfig $file -Key model.n) -join ',' | Should -Be '1,2'
    }
}
