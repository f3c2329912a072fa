# Runs every script of examples/ as a user would, against the built module.
BeforeAll {
    if (-not $env:INITCFG_MODULE) { $env:INITCFG_MODULE = (Resolve-Path "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1").Path }
    Import-Module $env:INITCFG_MODULE -Force
    $script:examples = (Resolve-Path "$PSScriptRoot/../../examples").Path

    # In this process, so the scripts see their own folder ($PSScriptRoot) and return real objects.
    function Invoke-Example([string]$Name, [object[]]$Arguments = @()) {
        & (Join-Path $examples $Name) @Arguments
    }
}

Describe 'examples/demo.ps1' {
    It 'builds, initializes and reports the detector' {
        $out = Invoke-Example 'demo.ps1' 6>&1 | Out-String
        $out | Should -Match 'bbox_head\.retina_cls\.bias = -4\.59'
        $out | Should -Match 'KaimingInit: a=0, mode=fan_out'
    }
}

Describe 'examples/sweep.ps1' {
    It 'writes weights, a CSV report and an MMEngine log per run, and the weights load back' {
        $dir = Join-Path $TestDrive 'sweep'
        $runs = @(Invoke-Example 'sweep.ps1' @($dir, [long[]](0, 1)))
        $runs.Count | Should -Be 6
        foreach ($run in $runs) {
            foreach ($file in 'weights.pth', 'report.csv', 'init.log') { Join-Path $run.Folder $file | Should -Exist }
        }
        (Get-Content (Join-Path $runs[0].Folder 'init.log') -TotalCount 1) | Should -Be 'Name of parameter - Initialization information'
        $model = New-InitModel -Config (Join-Path $examples 'retinanet_like.yaml')
        Invoke-InitWeights -Model $model -InitCfg @{ type = 'Pretrained'; checkpoint = (Join-Path $runs[0].Folder 'weights.pth') }
        $reloaded = (Get-InitReport -Model $model -Module bbox_head.retina_cls | Where-Object Name -Like '*.weight').Mean
        $reloaded | Should -Be $runs[0].ClsMean
    }

    It 'prints a summary whose statistics keep their significant digits' {
        $out = @(Invoke-Example 'sweep.ps1' @((Join-Path $TestDrive 'summary'), [long[]](0)) 6>&1)
        $runs = @($out | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] })
        $summary = ($out | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }) -join "`n"
        $summary | Should -Match '(?m)^Config\s+Seed\s+ClsMean\s+ClsStd\s*$'
        foreach ($run in $runs) {
            $row = $summary -split '\r?\n' | Where-Object { $_ -match "^$($run.Config)\s+0\s" }
            $row | Should -Not -BeNullOrEmpty
            $mean, $std = ($row -split '\s+')[-2..-1]
            # Normal(0, 0.01) weights: a mean of order 1e-4 and a std near 0.01, both readable (not 0.00 / 0.01).
            $mean | Should -Be $run.ClsMean.ToString('g3')
            $std | Should -Be $run.ClsStd.ToString('g3')
            $mean | Should -Not -Be '0.00'
            $std | Should -Match '^0\.0\d{2,}$'
        }
    }

    It 'gives different weights for different seeds and the same for the same seed' {
        $a = @(Invoke-Example 'sweep.ps1' @((Join-Path $TestDrive 'a'), [long[]](3)))
        $b = @(Invoke-Example 'sweep.ps1' @((Join-Path $TestDrive 'b'), [long[]](3, 4)))
        $a[0].ClsMean | Should -Be $b[0].ClsMean
        $b[0].ClsMean | Should -Not -Be $b[1].ClsMean
    }

    It 'reproduces whole runs, tensors no config writes included (both seeds), without an unseeded-build warning' {
        $a = @(Invoke-Example 'sweep.ps1' @((Join-Path $TestDrive 'w1'), [long[]](5)) -WarningVariable w -WarningAction SilentlyContinue)
        $b = @(Invoke-Example 'sweep.ps1' @((Join-Path $TestDrive 'w2'), [long[]](5)))
        @($w | Where-Object { "$_" -match 'unseeded build' }) | Should -BeNullOrEmpty
        for ($i = 0; $i -lt $a.Count; $i++) {
            (Get-FileHash (Join-Path $a[$i].Folder 'report.csv')).Hash | Should -Be (Get-FileHash (Join-Path $b[$i].Folder 'report.csv')).Hash
        }
    }
}

Describe 'examples/init_torchvision_resnet.ps1' {
    It 'initializes resnet50 from the YAML config and exports .pth and .safetensors' {
        $dir = Join-Path $TestDrive 'r50'
        $files = @(Invoke-Example 'init_torchvision_resnet.ps1' @($dir, 0, 10) | Where-Object { $_ -is [IO.FileInfo] })
        $files.Name | Should -Be @('resnet50-seed0.pth', 'resnet50-seed0.safetensors')
        $files | ForEach-Object { $_.Length | Should -BeGreaterThan 80MB }
    }
}

Describe 'examples/RetinaNetInit.Tests.ps1' {
    It 'passes as a user''s own Pester file' {
        $pester = (Get-Module Pester).Path
        $file = Join-Path $examples 'RetinaNetInit.Tests.ps1'
        $job = Start-Job -ScriptBlock {
            param($pester, $file)
            Import-Module $pester
            $r = Invoke-Pester -Path $file -PassThru -Output None
            [pscustomobject]@{ Passed = $r.PassedCount; Failed = $r.FailedCount }
        } -ArgumentList $pester, $file
        $null = Wait-Job $job -Timeout 300
        $result = Receive-Job $job
        Remove-Job $job -Force
        $result.Failed | Should -Be 0
        $result.Passed | Should -Be 5
    }
}

Describe 'examples/mmdet_retinanet.ps1' {
    It 'builds RetinaNet from MMDetection''s config, initializes it as MMDetection does and exports a loadable checkpoint' {
        $out = @(Invoke-Example 'mmdet_retinanet.ps1' @((Join-Path $TestDrive 'retina')) 6>&1)
        $result = $out | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] } | Select-Object -Last 1
        $text = ($out | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }) -join "`n"
        $text | Should -Match 'bbox_head\.retina_cls\.bias = -4\.59'
        $result.Weights | Should -Exist
        $result.Log | Should -Exist
        # The checkpoint holds the detector's state_dict: 354 entries, MMDetection's names.
        $model = New-InitModel -Config (Join-Path $TestDrive 'retina/retinanet_r50_fpn_1x_coco.yaml')
        Invoke-InitWeights -Model $model -InitCfg @{ type = 'Pretrained'; checkpoint = $result.Weights }
        $load = Get-InitReport -Model $model -LoadReport
        @($load.Missing).Count | Should -Be 0
        @($load.Unexpected).Count | Should -Be 0
        @($load.Loaded).Count | Should -Be 354
        (Get-InitReport -Model $model | Where-Object Name -EQ 'bbox_head.retina_cls.bias').Mean |
            Should -Be (Get-InitReport -Model $result.Model | Where-Object Name -EQ 'bbox_head.retina_cls.bias').Mean
    }
}
