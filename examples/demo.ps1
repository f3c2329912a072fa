<#
.SYNOPSIS
    InitCfg demo: build a RetinaNet-like detector from a YAML config, initialize it by its init_cfg, report.

.DESCRIPTION
    The model config (retinanet_like.yaml, next to this script) carries init configs at three levels, as
    MMDetection's configs do: Kaiming + Constant for the backbone, Xavier for the neck, Normal with a
    bias_prob override for the head. Copy this script and the YAML file to start your own.
#>
[CmdletBinding()]
param(
    [string]$ConfigPath = (Join-Path $PSScriptRoot 'retinanet_like.yaml'),
    [long]$Seed = 0
)

$ErrorActionPreference = 'Stop'
$module = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { Join-Path $PSScriptRoot '../out/InitCfg/InitCfg.psd1' }
Import-Module $module

Write-Host "== Building the model from $(Split-Path -Leaf $ConfigPath)"
$model = New-InitModel -Config $ConfigPath
$parameters = @($model.parameters())
$elements = ($parameters | ForEach-Object { $_.numel() } | Measure-Object -Sum).Sum
Write-Host ("   {0} parameter tensors, {1:N0} weights" -f $parameters.Count, $elements)

Write-Host "== Initializing with seed $Seed"
Invoke-InitWeights -Model $model -Seed $Seed

Write-Host "== Init report (which initializer wrote each tensor, and what it looks like now)"
Get-InitReport -Model $model |
    Format-Table Name, ShapeText, @{ Label = 'Mean'; Expression = 'Mean'; FormatString = 'g3' },
                 @{ Label = 'Std'; Expression = 'Std'; FormatString = 'g3' }, InitInfo -Wrap |
    Out-String -Width 200 | Write-Host

Write-Host "== Parameters written per initializer"
Get-InitReport -Model $model -Summary | Format-Table | Out-String | Write-Host

# The classifier's bias carries the prior: -log((1 - 0.01) / 0.01).
$cls = Get-InitReport -Model $model | Where-Object Name -eq 'bbox_head.retina_cls.bias'
Write-Host ("== bbox_head.retina_cls.bias = {0} (bias_prob=0.01)" -f $cls.Mean)
