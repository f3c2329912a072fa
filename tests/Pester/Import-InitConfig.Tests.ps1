BeforeDiscovery {
    $script:hasSample = Test-Path -LiteralPath (Join-Path $PSScriptRoot '../../../shared/mmdet-configs/configs.txt')
}

BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    $script:sample = Join-Path $PSScriptRoot '../../../shared/mmdet-configs'
    $script:dir = Join-Path ([IO.Path]::GetTempPath()) "initcfg-pester-import-$PID"
    $null = New-Item -ItemType Directory -Path "$script:dir/_base_" -Force
    Set-Content -LiteralPath "$script:dir/_base_/net.py" -Value @"
model = dict(type='Net', backbone=dict(type='ResNet', depth=50, out_indices=(0, 1)),
             head=dict(init_cfg=dict(type='Normal', layer='Conv2d', std=0.01)))
lr = 0.01
"@
    Set-Content -LiteralPath "$script:dir/child.py" -Value @"
_base_ = './_base_/net.py'
model = dict(backbone=dict(depth=101))
"@
    Set-Content -LiteralPath "$script:dir/bad.py" -Value "x = 1`ndef f():`n    return 2`ny = f()`n"
    function Get-Completions([string]$InputScript) {
        (TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches.CompletionText
    }
}

AfterAll { Remove-Item -LiteralPath $script:dir -Recurse -Force -ErrorAction Ignore }

Describe 'Import-InitConfig' {

    It 'returns the merged config as ordered dictionaries, ints as Int64 and tuples as read-only lists' {
        $cfg = Import-InitConfig -Path "$script:dir/child.py"
        $cfg | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
        @($cfg.Keys) | Should -Be @('model', 'lr')
        $cfg.model.backbone.depth | Should -BeOfType ([long])
        $cfg.model.backbone.depth | Should -Be 101
        $cfg.lr | Should -BeOfType ([double])
        # A tuple stays a tuple (so Export-InitConfig writes it back as MMEngine does); it is still a list to PowerShell.
        ,$cfg.model.backbone.out_indices | Should -BeOfType ([InitCfg.Core.Configs.ConfigTuple])
        ,$cfg.model.backbone.out_indices | Should -BeOfType ([System.Collections.IList])
        $cfg.model.backbone.out_indices.Count | Should -Be 2
        ($cfg.model | ConvertTo-Json -Depth 100 -Compress) | Should -BeExactly '{"type":"Net","backbone":{"type":"ResNet","depth":101,"out_indices":[0,1]},"head":{"init_cfg":{"type":"Normal","layer":"Conv2d","std":0.01}}}'
    }

    It '-Key selects a dotted key, and a list item by index' {
        (Import-InitConfig "$script:dir/child.py" -Key model.backbone).depth | Should -Be 101
        Import-InitConfig "$script:dir/child.py" -Key 'model.backbone.out_indices[1]' | Should -Be 1
    }

    It 'prints as MMEngine pretty text' {
        $text = Import-InitConfig "$script:dir/child.py" -Key model.head | Out-String
        $text | Should -Match "init_cfg = dict\(layer='Conv2d', std=0.01, type='Normal'\)"
        $text | Should -Match "type='Normal'"
    }

    It 'reads files down the pipeline, one error per bad file' {
        $items = Get-ChildItem -LiteralPath $script:dir -Filter *.py | Sort-Object Name
        $out = $items | Import-InitConfig -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'UnsupportedConfigConstruct,InitCfg.Cmdlets.ImportInitConfigCommand'
        $errs[0].Exception.Message | Should -Match 'bad\.py:4:6'
    }

    It 'a missing key is ConfigKeyNotFound with a hint' {
        { Import-InitConfig "$script:dir/child.py" -Key model.bakbone -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConfigKeyNotFound,InitCfg.Cmdlets.ImportInitConfigCommand' -ExpectedMessage "*Did you mean 'backbone'*"
    }

    It 'a missing file is ConfigFileNotFound' {
        { Import-InitConfig "$script:dir/nope.py" -ErrorAction Stop } | Should -Throw -ErrorId 'ConfigFileNotFound,InitCfg.Cmdlets.ImportInitConfigCommand'
    }

    It 'completes -Key with the keys of -Path and -Path with config files' {
        Get-Completions "Import-InitConfig -Path '$script:dir/child.py' -Key model.ba" | Should -Be @('model.backbone', 'model.backbone.type', 'model.backbone.depth', 'model.backbone.out_indices')
        Get-Completions "Import-InitConfig -Path $script:dir/chi" | Should -Be @("$script:dir/child.py")
    }

    It 'reads the shared MMDetection sample: the lazy-import RTMDet config' -Skip:(-not $script:hasSample) {
        $model = Import-InitConfig (Join-Path $script:sample 'files/mmdet/configs/rtmdet/rtmdet_l_8xb32_300e_coco.py') -Key model
        $model.type | Should -Be 'mmdet.models.detectors.rtmdet.RTMDet'
        $model.backbone.norm_cfg.type | Should -Be 'torch.nn.SyncBatchNorm'
    }
}
