<#
.SYNOPSIS
    A sweep over seeds and init configs: one folder per run with its weights, its init report and its log.

.DESCRIPTION
    Builds the detector of retinanet_like.yaml once per run, applies each named config with each seed, and
    writes <OutputDirectory>/<config>-seed<seed>/ with weights.pth, report.csv and init.log (MMEngine's format).
    A summary table of every run (mean and std of the classifier weights) closes the sweep.

    Each run uses two seeds, and needs both to be reproducible: New-InitModel -Seed for what the layers'
    constructors draw (as torch.manual_seed before building in PyTorch), Invoke-InitWeights -Seed for what the
    init configs draw (as torch.manual_seed before init_weights). With only the second, the tensors no config
    writes (here, for example, every bias the configs leave alone) differ from one run to the next, and
    Invoke-InitWeights warns how many they are.
#>
[CmdletBinding()]
param(
    [string]$OutputDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'initcfg-sweep'),
    [long[]]$Seeds = @(0, 1, 2),
    # Seed of every build (the constructors' default values): fixed, so runs differ only by their init seed.
    [long]$BuildSeed = 0
)

$ErrorActionPreference = 'Stop'
$module = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { Join-Path $PSScriptRoot '../out/InitCfg/InitCfg.psd1' }
Import-Module $module

$modelConfig = Join-Path $PSScriptRoot 'retinanet_like.yaml'
# Each entry replaces the model's top-level init_cfg; the configs inside the YAML (backbone, neck, head) keep
# their priority, so these only decide what the nested configs leave alone.
$configs = [ordered]@{
    'yaml-only'   = $null
    'xavier-all'  = @(New-InitCfg -Type Xavier -Layer Conv2d -Distribution uniform)
    'kaiming-all' = @(New-InitCfg -Type Kaiming -Layer Conv2d -Mode fan_in)
}

$runs = foreach ($name in $configs.Keys) {
    foreach ($seed in $Seeds) {
        $dir = Join-Path $OutputDirectory "$name-seed$seed"
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        $model = New-InitModel -Config $modelConfig -Seed $BuildSeed
        $invoke = @{ Model = $model; Seed = $seed }
        if ($configs[$name]) { $invoke.InitCfg = $configs[$name] }
        Invoke-InitWeights @invoke

        Export-InitWeights -Model $model -Path (Join-Path $dir 'weights.pth') -Force
        Get-InitReport -Model $model -AsLog | Set-Content -LiteralPath (Join-Path $dir 'init.log')
        Get-InitReport -Model $model |
            Select-Object Name, ShapeText, Initializer, InitInfo, Mean, Std, Min, Max |
            Export-Csv -LiteralPath (Join-Path $dir 'report.csv') -NoTypeInformation

        $cls = Get-InitReport -Model $model -Module bbox_head.retina_cls | Where-Object Name -Like '*.weight'
        [pscustomobject]@{ Config = $name; Seed = $seed; ClsMean = $cls.Mean; ClsStd = $cls.Std; Folder = $dir }
    }
}
# Significant digits, not Format-Table's two decimals for doubles (which print std=0.01 weights as 0.00 and 0.01).
$runs | Format-Table Config, Seed,
    @{ Name = 'ClsMean'; Expression = 'ClsMean'; FormatString = 'g3' },
    @{ Name = 'ClsStd'; Expression = 'ClsStd'; FormatString = 'g3' } | Out-String | Write-Host
$runs
