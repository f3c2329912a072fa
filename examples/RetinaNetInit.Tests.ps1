<#
    A Pester test file you would keep next to your own model config, so CI fails when a change to the config
    (or to the model) leaves a layer uninitialized, names a layer type that matches nothing, or loses the
    classifier prior. Run it with: Invoke-Pester ./RetinaNetInit.Tests.ps1
#>
BeforeAll {
    $module = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { Join-Path $PSScriptRoot '../out/InitCfg/InitCfg.psd1' }
    Import-Module $module
    $script:configPath = Join-Path $PSScriptRoot 'retinanet_like.yaml'
}

Describe 'init_cfg of the RetinaNet-like detector' {
    BeforeAll {
        $script:model = New-InitModel -Config $configPath
    }

    It 'has no warnings (every layer name matches, every config does something)' {
        $warnings = Get-InitPlan -Model $model | Where-Object Action -EQ 'Warning'
        $warnings.Message | Should -BeNullOrEmpty
    }

    It 'passes in strict mode and writes every parameter' {
        Invoke-InitWeights -Model $model -Seed 0 -Strict
        Get-InitReport -Model $model | Where-Object { -not $_.Written } | ForEach-Object Name | Should -BeNullOrEmpty
    }

    It 'gives the classifier the 0.01 prior' {
        $bias = Get-InitReport -Model $model | Where-Object Name -EQ 'bbox_head.retina_cls.bias'
        [math]::Abs($bias.Mean + [math]::Log(0.99 / 0.01)) | Should -BeLessThan 1e-6
        ($bias.Std -lt 1e-9) | Should -BeTrue
    }

    It 'zero-initializes the last norm of the residual block' {
        (Get-InitReport -Model $model -Module backbone.layer2.0.bn3).Max | Should -Be @(0, 0)
    }

    It 'is reproducible for a seed' {
        $again = New-InitModel -Config $configPath
        Invoke-InitWeights -Model $again -Seed 0
        (Get-InitReport $again).Mean | Should -Be (Get-InitReport $model).Mean
    }
}
