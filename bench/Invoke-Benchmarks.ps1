<#
.SYNOPSIS
    Runs the InitCfg benchmarks and writes out/bench/results.json.

.DESCRIPTION
    In-process cases run in bench/InitCfg.Bench, one process per case so that its peak memory is its own; each
    measures the engine against its floor (the same work as a plain loop of libtorch calls, or a file copy/read
    of the same bytes) in the same process, interleaved, median of at least 5. The end-to-end case starts new
    pwsh processes: import + build + initialize a small model, against pwsh starting alone.
    read-mmdet-configs times MMEngine's Config.fromfile on the same files in the same run when MMENGINE_SRC names
    a folder with MMEngine's source (see bench/README.md); otherwise it runs InitCfg only and says so.
    export-mmdet-configs compares InitCfg's .py text of every sample config with MMEngine's dump, byte for byte.
    Timings are figures to read, never assertions: nothing here fails on a slow machine.
#>
[CmdletBinding()]
param(
    [string]$Configuration = 'Release',
    [string]$OutDirectory = (Join-Path $PSScriptRoot '../out/bench'),
    [switch]$Quick
)

$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false
$module = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { Join-Path $PSScriptRoot '../out/InitCfg/InitCfg.psd1' }
$project = Join-Path $PSScriptRoot 'InitCfg.Bench/InitCfg.Bench.csproj'
New-Item -ItemType Directory -Force -Path $OutDirectory | Out-Null

& dotnet build $project -c $Configuration --nologo -v quiet | Out-Host
if ($LASTEXITCODE -ne 0) { throw "building $project failed" }
$exe = Join-Path $PSScriptRoot "InitCfg.Bench/bin/$Configuration/net10.0/linux-x64/InitCfg.Bench"

$cases = if ($Quick) {
    'init-resnet50', 'init-mlp302m', 'report-mlp302m', 'export-resnet50-pth', 'load-resnet50-safetensors', 'read-mmdet-configs',
    'parallel-resnet50', 'parallel-mlp302m', 'report-resnet152-html', 'erfinv-vector'
} else {
    'init-resnet50', 'init-mlp302m', 'report-mlp302m', 'export-resnet50-pth', 'export-resnet50-safetensors',
    'load-resnet50-pth', 'load-resnet50-safetensors', 'hostile-inputs', 'load-views-48x64mib', 'read-mmdet-configs', 'export-mmdet-configs', 'mmdet-retinanet',
    'build-resnet152-pytorch', 'load-resnet50-pytorch', 'export-shards-llama', 'parallel-resnet50', 'parallel-mlp302m', 'report-resnet152-html', 'erfinv-vector', 'init-lazy-llama7b'
}
if ($Quick) { Write-Host 'Quick: export-shards-llama (the Llama-shaped sharded export), init-lazy-llama7b (a 7B lazy model streamed into 27 GB of shards) and the PyTorch peer cases run only without -Quick; the 302M cases run on a 32M stack.' }
$results = [System.Collections.Generic.List[object]]::new()
foreach ($case in $cases) {
    Write-Host "==> $case"
    $caseArgs = @($case)
    if ($Quick) { $caseArgs += '--quick' }
    $wall = [Diagnostics.Stopwatch]::StartNew()
    $lines = & $exe @caseArgs 2>&1
    $wall.Stop()
    if ($LASTEXITCODE -ne 0) { Write-Warning "$case failed:`n$($lines -join "`n")"; continue }
    $row = ($lines | Select-Object -Last 1) | ConvertFrom-Json
    $row.wall_s = [math]::Round($wall.Elapsed.TotalSeconds, 2)
    $results.Add($row)
}

# Cold start: a new pwsh that imports the module, builds a small model and initializes it, against a new pwsh
# that only starts. Interleaved, median of 5 (3 with -Quick).
function Measure-Pwsh([string]$command) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    & dotnet pwsh -NoProfile -NonInteractive -Command $command | Out-Null
    $sw.Elapsed.TotalSeconds
}
$cold = "Import-Module '$module'; `$m = New-InitModel @{ type = 'Sequential'; modules = @(@{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3 }, @{ type = 'BatchNorm2d'; num_features = 8 }) }; Invoke-InitWeights `$m -InitCfg @{ type = 'Kaiming'; layer = 'Conv2d' } -Seed 0"
$n = if ($Quick) { 3 } else { 5 }
$with = @(); $without = @()
$null = Measure-Pwsh 'exit 0'
for ($i = 0; $i -lt $n; $i++) { $with += Measure-Pwsh $cold; $without += Measure-Pwsh 'exit 0' }
$median = { param($xs) $s = @($xs | Sort-Object); if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
$e = & $median $with; $f = & $median $without
$results.Add([pscustomobject]@{
    name = 'cold-start'; params = 248; engine_s = $e; floor_s = $f; ratio = $e / $f; target = $null; peak_rss_mb = $null
    wall_s = [math]::Round($e, 2); note = ('import + build + init costs {0:N2} s more than pwsh starting alone (target: <= 1.0 s more)' -f ($e - $f))
})

$json = Join-Path $OutDirectory 'results.json'
$results | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $json -Encoding utf8
$results | Format-Table name, params, @{ L = 'engine_s'; E = { '{0:N4}' -f $_.engine_s } }, @{ L = 'floor_s'; E = { '{0:N4}' -f $_.floor_s } },
    @{ L = 'ratio'; E = { '{0:N2}' -f $_.ratio } }, target, @{ L = 'peak_rss_mb'; E = { if ($_.peak_rss_mb) { '{0:N0}' -f $_.peak_rss_mb } } }, wall_s -AutoSize |
    Out-String -Width 200 | Write-Host
$results | Where-Object note | ForEach-Object { Write-Host ("{0}: {1}" -f $_.name, $_.note) }
Write-Host "Results: $json"
