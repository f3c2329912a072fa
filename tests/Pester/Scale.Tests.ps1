# Scale: a model of one billion parameters (4 GB of float32) is built, initialized, reported and exported
# (.safetensors, then .pth) in a child pwsh, whose peak resident memory (VmHWM) must stay under the process's
# baseline + model bytes * 1.10 + 512 MiB: an init call is all or nothing, so until it commits it keeps an undo copy
# of every tensor it writes (here all of them), but only its default budget of 512 MiB in memory; the rest goes to
# a temp file, deleted at commit. About 60 s and 4 GB of disk at a time; skipped, with the reason, on a machine
# with too little memory or disk.

BeforeAll {
    $script:modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    $script:modulePath = (Resolve-Path $modulePath).Path
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    function Get-MemAvailable { [long]((Get-Content /proc/meminfo | Where-Object { $_ -like 'MemAvailable:*' }) -replace '\D', '') * 1KB }
}

Describe 'Scale' {

    It 'initializes, reports and exports 1e9 parameters with peak memory under baseline + model bytes * 1.10 + the 512 MiB undo budget' {
        if (-not $IsLinux) { Set-ItResult -Skipped -Because 'peak memory is read from /proc/self/status (Linux only)'; return }
        if ($env:INITCFG_SKIP_SCALE_TEST -eq '1') { Set-ItResult -Skipped -Because 'INITCFG_SKIP_SCALE_TEST=1'; return }
        if ((Get-MemAvailable) -lt 7GB) { Set-ItResult -Skipped -Because "less than 7 GB of memory available ($([Math]::Round((Get-MemAvailable) / 1GB, 1)) GB)"; return }
        $free = ([IO.DriveInfo]::new($TestDrive)).AvailableFreeSpace
        if ($free -lt 6GB) { Set-ItResult -Skipped -Because "less than 6 GB free under $TestDrive"; return }

        $folder = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'scale')).FullName
        $child = Join-Path $TestDrive 'scale-child.ps1'
        Set-Content -LiteralPath $child -Value @'
param([string]$Module, [string]$Folder)
$ErrorActionPreference = 'Stop'
function Get-Status([string]$Key) { [long]((Get-Content /proc/self/status | Where-Object { $_ -like "${Key}:*" }) -replace '\D', '') * 1KB }
Import-Module $Module
# Load libtorch and run every step once on a tiny model, so the baseline holds the code and native libraries.
$tiny = New-InitModel @{ type = 'Linear'; in_features = 2; out_features = 2 }
Invoke-InitWeights $tiny -InitCfg @{ type = 'Normal'; std = 0.02; layer = 'Linear' } -Seed 0
$null = Get-InitReport $tiny
Export-InitWeights $tiny (Join-Path $Folder 'tiny.safetensors')
Export-InitWeights $tiny (Join-Path $Folder 'tiny.pth')
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
$stats = [ordered]@{ BaselineRss = Get-Status VmRSS }
[IO.File]::WriteAllText('/proc/self/clear_refs', '5') # resets VmHWM to the current RSS: the peak measured is the work's
$clock = [Diagnostics.Stopwatch]::StartNew()
function Step([string]$Name, [scriptblock]$Body) {
    $t = $clock.Elapsed.TotalSeconds
    $null = & $Body
    $stats["${Name}Seconds"] = [Math]::Round($clock.Elapsed.TotalSeconds - $t, 1)
    $stats["${Name}Hwm"] = Get-Status VmHWM
}
# 16 x Linear(8192, 7630) without bias: 1,000,079,360 parameters.
Step Build { $script:m = New-InitModel @{ type = 'Sequential'; modules = @(1..16 | ForEach-Object { @{ type = 'Linear'; in_features = 8192; out_features = 7630; bias = $false } }) } }
$stats.Parameters = [long]($m.parameters() | ForEach-Object { $_.numel() } | Measure-Object -Sum).Sum
Step Init { Invoke-InitWeights $m -InitCfg @{ type = 'Normal'; std = 0.02; layer = 'Linear' } -Seed 0 }
Step Report { $script:report = @(Get-InitReport $m) }
$stats.ReportRows = $report.Count
$stats.ReportStd = @($report.Std | Measure-Object -Minimum -Maximum | ForEach-Object { $_.Minimum; $_.Maximum })
$st = Join-Path $Folder 'big.safetensors'
$pth = Join-Path $Folder 'big.pth'
Step Safetensors { Export-InitWeights $m $st }
$stats.SafetensorsBytes = (Get-Item $st).Length
Remove-Item $st # one 4 GB file on disk at a time
Step Pth { Export-InitWeights $m $pth }
$stats.PthBytes = (Get-Item $pth).Length
Remove-Item $pth
$stats.PeakHwm = Get-Status VmHWM
$stats | ConvertTo-Json -Compress
'@
        try {
            $cmd = Get-PwshCommand
            $out = & $cmd[0] @($cmd | Select-Object -Skip 1) -NoProfile -NonInteractive -File $child -Module $modulePath -Folder $folder 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
            $r = ($out | Select-Object -Last 1) | ConvertFrom-Json

            $modelBytes = $r.Parameters * 4
            # The model plus 10%, plus the init call's undo copies held in memory (the rest spill to a temp file).
            $limit = $r.BaselineRss + [long]($modelBytes * 1.10) + 512MB
            $mb = { param($b) '{0:N0} MB' -f ($b / 1MB) }
            Write-Host ("    parameters {0:N0}; model {1}; baseline RSS {2}; peak (VmHWM) {3}; limit {4}; over baseline + model: {5}" -f
                $r.Parameters, (& $mb $modelBytes), (& $mb $r.BaselineRss), (& $mb $r.PeakHwm), (& $mb $limit), (& $mb ($r.PeakHwm - $r.BaselineRss - $modelBytes)))
            Write-Host ("    build {0}s (peak {1}), init {2}s ({3}), report {4}s ({5}), .safetensors {6}s ({7}), .pth {8}s ({9})" -f
                $r.BuildSeconds, (& $mb $r.BuildHwm), $r.InitSeconds, (& $mb $r.InitHwm), $r.ReportSeconds, (& $mb $r.ReportHwm),
                $r.SafetensorsSeconds, (& $mb $r.SafetensorsHwm), $r.PthSeconds, (& $mb $r.PthHwm))

            $r.Parameters | Should -BeGreaterOrEqual 1000000000
            $r.ReportRows | Should -Be 16
            foreach ($std in $r.ReportStd) { $std | Should -BeGreaterThan 0.0199; $std | Should -BeLessThan 0.0201 }
            $r.SafetensorsBytes | Should -BeGreaterThan $modelBytes
            $r.PthBytes | Should -BeGreaterThan $modelBytes
            $r.PeakHwm | Should -BeLessThan $limit
        }
        finally {
            Get-ChildItem -LiteralPath $folder -Force -ErrorAction SilentlyContinue | Remove-Item -Force -ErrorAction SilentlyContinue
        }
    }
}
