<#
.SYNOPSIS
    MMDetection walk-through: RetinaNet R50-FPN from MMDetection's own config, initialized as MMDetection does,
    reported and exported as a checkpoint MMDetection loads with strict=True.

.DESCRIPTION
    retinanet_r50_fpn_1x_coco.yaml (next to this script) is MMDetection 3.3's merged model config. New-InitModel
    builds RetinaNet with MMDetection's module names and construction order (so -Seed at build gives PyTorch's
    default weights bit for bit), Invoke-InitWeights runs MMEngine's walk (FPN's ConvModules sit in plain
    nn.ModuleLists, so FPN's Xavier init is the last word on them, as in MMDetection), and Export-InitWeights
    writes a .pth whose keys and shapes are the detector's state_dict.
    Without -Pretrained the backbone's torchvision://resnet50 init_cfg is dropped (ResNet then uses its default
    Kaiming/Constant init); with it, the checkpoint must be in the torch hub cache (or -CheckpointDir).
#>
[CmdletBinding()]
param(
    [string]$OutDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'initcfg-retinanet'),
    [long]$BuildSeed = 1,
    [long]$Seed = 0,
    [switch]$Pretrained,
    [string]$CheckpointDir
)

$ErrorActionPreference = 'Stop'
$module = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { Join-Path $PSScriptRoot '../out/InitCfg/InitCfg.psd1' }
Import-Module $module

New-Item -ItemType Directory -Force -Path $OutDirectory | Out-Null
$configPath = Join-Path $PSScriptRoot 'retinanet_r50_fpn_1x_coco.yaml'
if (-not $Pretrained) {
    # As the MMDetection references were made: the Pretrained backbone init removed, so ResNet's default applies.
    $text = (Get-Content -Raw $configPath) -replace "init_cfg: \{type: Pretrained[^}]*\}", 'init_cfg: null'
    $configPath = Join-Path $OutDirectory 'retinanet_r50_fpn_1x_coco.yaml'
    Set-Content -Path $configPath -Value $text
}

Write-Host "== Building RetinaNet (seed $BuildSeed for PyTorch's default layer init)"
$model = New-InitModel -Config $configPath -Seed $BuildSeed
$parameters = @($model.parameters())
Write-Host ("   {0} parameter tensors, {1:N0} weights" -f $parameters.Count, ($parameters | ForEach-Object { $_.numel() } | Measure-Object -Sum).Sum)

Write-Host '== The plan: one row per config MMEngine would apply, in its order'
Get-InitPlan -Model $model | Where-Object Action -NE 'Warning' |
    Group-Object ConfigPath | ForEach-Object { '   {0,-40} {1,4} modules' -f $_.Name, $_.Count } | Write-Host

Write-Host "== Initializing with seed $Seed"
$initArgs = @{ Model = $model; Seed = $Seed }
if ($CheckpointDir) { $initArgs.CheckpointDir = $CheckpointDir }
Invoke-InitWeights @initArgs

Write-Host '== Parameters written per initializer'
Get-InitReport -Model $model -Summary | Format-Table | Out-String | Write-Host

$cls = Get-InitReport -Model $model | Where-Object Name -EQ 'bbox_head.retina_cls.bias'
Write-Host ("== bbox_head.retina_cls.bias = {0} (bias_prob=0.01)" -f $cls.Mean)

$weights = Join-Path $OutDirectory 'retinanet_r50_fpn_init.pth'
Export-InitWeights -Model $model -Path $weights -Force
Export-InitReport -Model $model -Path (Join-Path $OutDirectory 'init.log') -Force
Write-Host "== Wrote $weights (load it in MMDetection with load_checkpoint(model, path, strict=True))"

[pscustomobject]@{
    Model   = $model
    Weights = $weights
    Log     = Join-Path $OutDirectory 'init.log'
}
