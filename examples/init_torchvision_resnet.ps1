<#
.SYNOPSIS
    Initializes torchvision's ResNet-50 from a YAML init config and saves weights PyTorch can load.

.DESCRIPTION
    Builds torchvision's resnet50 (torchvision's parameter names), reads the init_cfg from resnet50_init.yaml,
    shows the plan, initializes with a seed, and exports the state dict as .pth (torch.load reads it, and
    torchvision.models.resnet50().load_state_dict(...) accepts it) and as .safetensors.
#>
[CmdletBinding()]
param(
    [string]$OutputDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'initcfg-resnet50'),
    [long]$Seed = 0,
    [int]$NumClasses = 1000
)

$ErrorActionPreference = 'Stop'
$module = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { Join-Path $PSScriptRoot '../out/InitCfg/InitCfg.psd1' }
Import-Module $module
New-Item -ItemType Directory -Force -Path $OutputDirectory | Out-Null

$model = New-InitModel -Config @{ type = 'resnet50'; num_classes = $NumClasses }
$cfg = New-InitCfg -Path (Join-Path $PSScriptRoot 'resnet50_init.yaml')
$cfg | ForEach-Object { Write-Host "init_cfg: $_" }

# What will each config write? (Nothing changes yet.)
Get-InitPlan -Model $model -InitCfg $cfg | Where-Object Action -NE 'Warning' |
    Group-Object ConfigPath | Format-Table @{ Label = 'Config'; Expression = 'Name' }, @{ Label = 'Modules'; Expression = 'Count' } |
    Out-String | Write-Host

$cfg | Invoke-InitWeights -Model $model -Seed $Seed
Get-InitReport -Model $model -Summary | Format-Table | Out-String | Write-Host

$pth = Join-Path $OutputDirectory "resnet50-seed$Seed.pth"
$st = Join-Path $OutputDirectory "resnet50-seed$Seed.safetensors"
Export-InitWeights -Model $model -Path $pth -Force -PassThru
Export-InitWeights -Model $model -Path $st -Force -PassThru
