# Reliability under faults and concurrency: a process killed mid-export, a read-only or full folder, eight
# runspaces at once, two runspaces sharing one model, registrations from several runspaces.

BeforeAll {
    $script:modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    $script:modulePath = (Resolve-Path $modulePath).Path
    $script:helpersPath = (Resolve-Path "$PSScriptRoot/TestHelpers.psm1").Path
    Import-Module $modulePath -Force
    Import-Module $helpersPath -Force

    $script:isRoot = $IsLinux -and ((& id -u) -eq '0')

    # Starts a child pwsh on a script file, its output in <script>.out/.err; returns the Process.
    function Start-ChildPwsh([string]$ScriptPath, [string[]]$Arguments) {
        $cmd = Get-PwshCommand
        $argv = @($cmd | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $ScriptPath) + $Arguments
        Start-Process -FilePath $cmd[0] -ArgumentList ($argv | ForEach-Object { "`"$_`"" }) -PassThru `
            -RedirectStandardOutput "$ScriptPath.out" -RedirectStandardError "$ScriptPath.err"
    }

    # A ToyNet whose every parameter is written by a seeded init (so it is told apart from a fresh one).
    function New-SavedToyNet([long]$Seed) {
        $m = New-ToyNet -Seed 3
        Invoke-InitWeights $m -Seed $Seed -InitCfg @{ type = 'Normal'; std = 0.5; bias = 0.25; layer = @('Conv2d', 'Linear', '_BatchNorm') }
        $m
    }

    function Get-LoadedFingerprint([string]$Path) {
        $fresh = New-ToyNet -Seed 9
        Invoke-InitWeights $fresh -InitCfg @{ type = 'Pretrained'; checkpoint = $Path }
        Get-ModelFingerprint $fresh
    }

    function Mount-Tmpfs([string]$Path, [string]$Size) {
        if (-not $isRoot) { return $false }
        & mount -t tmpfs -o "size=$Size" tmpfs $Path 2>&1 | Out-Null
        $LASTEXITCODE -eq 0
    }

    function Dismount-Tmpfs([string]$Path) { & umount $Path 2>&1 | Out-Null }

    # Starts a pwsh that exports an 805 MB model onto $Target, and sends it $Signal (KILL or TERM) once its temporary
    # file has grown past 64 MB; returns the size it had then (0 when the child finished first, after 3 tries).
    function Stop-ExportMidWrite([string]$Target, [string]$Signal, [scriptblock]$BeforeEachTry = {}) {
        $child = Join-Path $TestDrive 'export-child.ps1'
        Set-Content -LiteralPath $child -Value @'
param([string]$Module, [string]$Target)
$ErrorActionPreference = 'Stop'
Import-Module $Module
# 12 x 4096 x 4096 float32: 805 MB, so the write takes a moment.
$m = New-InitModel @{ type = 'Sequential'; modules = @(1..12 | ForEach-Object { @{ type = 'Linear'; in_features = 4096; out_features = 4096; bias = $false } }) }
Export-InitWeights $m -Path $Target -Force
'@
        $dir = Split-Path -Parent $Target
        for ($attempt = 1; $attempt -le 3; $attempt++) {
            & $BeforeEachTry
            $p = Start-ChildPwsh $child @($modulePath, $Target)
            $deadline = [DateTime]::UtcNow.AddMinutes(2)
            $at = 0
            while (-not $p.HasExited -and [DateTime]::UtcNow -lt $deadline) {
                $partial = Get-ChildItem -LiteralPath $dir -Force -File -Filter '*.initcfg-partial' | Select-Object -First 1
                if ($partial -and $partial.Length -gt 64MB) {
                    & kill "-$Signal" $p.Id # KILL: no finally block, no cleanup runs
                    $at = $partial.Length
                    break
                }
                Start-Sleep -Milliseconds 5
            }
            $p.WaitForExit()
            if ($at) { return $at }
        }
        throw "the child was never signalled while writing (stderr: $(Get-Content -Raw "$child.err"))"
    }

    $script:partialPattern = '^\.{0}\.\d+\.[0-9a-f]{{6}}\.initcfg-partial$'
}

Describe 'Reliability' {

    Context 'Export under fault' {

        It 'keeps the previous file intact and loadable when the exporting process is SIGKILLed mid-write' {
            $dir = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'kill')).FullName
            $target = Join-Path $dir 'model.safetensors'
            $old = New-SavedToyNet -Seed 1
            $oldFingerprint = Get-ModelFingerprint $old
            $script:oldHash = $null
            $killedAt = Stop-ExportMidWrite $target KILL {
                Export-InitWeights $old $target -Force
                $script:oldHash = (Get-FileHash -LiteralPath $target).Hash
            }
            $oldHash = $script:oldHash
            Write-Host "    killed with $([Math]::Round($killedAt / 1MB)) MB of the temporary file written"

            (Get-FileHash -LiteralPath $target).Hash | Should -Be $oldHash
            Get-LoadedFingerprint $target | Should -Be $oldFingerprint
            $left = @(Get-ChildItem -LiteralPath $dir -Force -File | Where-Object Name -NE 'model.safetensors')
            $left.Count | Should -BeLessOrEqual 1
            foreach ($f in $left) { $f.Name | Should -Match ($partialPattern -f [regex]::Escape('model.safetensors')) }

            # The killed writer's partial file is stale: the next export of the same target removes it.
            Export-InitWeights $old $target -Force
            @(Get-ChildItem -LiteralPath $dir -Force -File -Filter '*.initcfg-partial').Count | Should -Be 0
        }

        It 'removes its temporary file when the exporting process gets SIGTERM mid-write' {
            $dir = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'term')).FullName
            $target = Join-Path $dir 'model.pth'
            $old = New-SavedToyNet -Seed 3
            Export-InitWeights $old $target
            $oldHash = (Get-FileHash -LiteralPath $target).Hash
            Stop-ExportMidWrite $target TERM | Should -BeGreaterThan 0
            @(Get-ChildItem -LiteralPath $dir -Force -File -Filter '*.initcfg-partial').Count | Should -Be 0
            (Get-FileHash -LiteralPath $target).Hash | Should -Be $oldHash
        }

        It 'fails with ExportFailed in a read-only folder and leaves the old file as it was' {
            $dir = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'ro')).FullName
            $mounted = Mount-Tmpfs $dir '4m'
            if (-not $mounted -and $isRoot) {
                Set-ItResult -Skipped -Because 'running as root (chmod does not stop root) and tmpfs cannot be mounted here'
                return
            }
            try {
                $target = Join-Path $dir 'w.pth'
                Export-InitWeights (New-SavedToyNet -Seed 1) $target
                $oldHash = (Get-FileHash -LiteralPath $target).Hash
                if ($mounted) { & mount -o remount,ro $dir; $LASTEXITCODE | Should -Be 0 } else { & chmod 555 $dir }

                Export-InitWeights (New-SavedToyNet -Seed 2) $target -Force -ErrorVariable err -ErrorAction SilentlyContinue
                $err.Count | Should -Be 1
                $err[0].FullyQualifiedErrorId | Should -Be 'ExportFailed,InitCfg.Cmdlets.ExportInitWeightsCommand'
                $err[0].CategoryInfo.Category | Should -Be 'WriteError'
                $err[0].Exception.Message | Should -Match 'w\.pth'
                Export-InitWeights (New-SavedToyNet -Seed 2) (Join-Path $dir 'new.pth') -ErrorVariable err2 -ErrorAction SilentlyContinue
                $err2[0].FullyQualifiedErrorId | Should -Be 'ExportFailed,InitCfg.Cmdlets.ExportInitWeightsCommand'

                (Get-FileHash -LiteralPath $target).Hash | Should -Be $oldHash
                @(Get-ChildItem -LiteralPath $dir -Force).Name | Should -Be @('w.pth')
            }
            finally {
                if ($mounted) { Dismount-Tmpfs $dir } else { & chmod 755 $dir }
            }
        }

        It 'fails with ExportFailed on a full disk, removes its temporary file and leaves the old file as it was' {
            $dir = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'full')).FullName
            if (-not (Mount-Tmpfs $dir '1m')) {
                Set-ItResult -Skipped -Because 'a small tmpfs cannot be mounted here (needs root), so a full disk cannot be made'
                return
            }
            try {
                $target = Join-Path $dir 'w.safetensors'
                Export-InitWeights (New-SavedToyNet -Seed 1) $target
                $oldHash = (Get-FileHash -LiteralPath $target).Hash
                $big = New-InitModel @{ type = 'Linear'; in_features = 1024; out_features = 512 } # 2 MB: more than the disk holds

                Export-InitWeights $big $target -Force -ErrorVariable err -ErrorAction SilentlyContinue
                $err.Count | Should -Be 1
                $err[0].FullyQualifiedErrorId | Should -Be 'ExportFailed,InitCfg.Cmdlets.ExportInitWeightsCommand'
                $err[0].Exception.Message | Should -Match 'space'

                (Get-FileHash -LiteralPath $target).Hash | Should -Be $oldHash
                @(Get-ChildItem -LiteralPath $dir -Force).Name | Should -Be @('w.safetensors')
            }
            finally { Dismount-Tmpfs $dir }
        }
    }

    Context 'Concurrency' {

        It 'gives eight seeded runs in eight runspaces exactly the results of the same runs one after another' {
            $yaml = (Resolve-Path "$PSScriptRoot/../../examples/retinanet_like.yaml").Path
            $run = {
                param($Seed, $Yaml)
                $m = New-InitModel -Config $Yaml -Seed 0
                Invoke-InitWeights $m -Seed $Seed
                [pscustomobject]@{ Seed = $Seed; Fingerprint = (Get-ModelFingerprint $m) }
            }
            $runText = $run.ToString() # -Parallel takes no script block through $using:
            $parallel = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:modulePath
                Import-Module $using:helpersPath
                & ([scriptblock]::Create($using:runText)) $_ $using:yaml
            }
            $sequential = 1..8 | ForEach-Object { & $run $_ $yaml }

            $parallel.Count | Should -Be 8
            foreach ($s in $sequential) {
                ($parallel | Where-Object Seed -EQ $s.Seed).Fingerprint | Should -Be $s.Fingerprint -Because "seed $($s.Seed)"
            }
            @($sequential.Fingerprint | Select-Object -Unique).Count | Should -Be 8
        }

        It 'serializes two runspaces initializing the same model: the result is always one whole run, never a mix' {
            $m = New-InitModel @{ type = 'Sequential'; modules = @(1..4 | ForEach-Object { @{ type = 'Linear'; in_features = 1024; out_features = 1024 } }) } -Seed 0
            $cfg = @{ type = 'Normal'; std = 0.1; bias = 0.5; layer = 'Linear' }
            $expected = foreach ($seed in 11, 22) {
                Invoke-InitWeights $m -InitCfg $cfg -Seed $seed -Force
                Get-ModelFingerprint $m
            }
            $expected[0] | Should -Not -Be $expected[1]

            for ($round = 1; $round -le 20; $round++) {
                $outcomes = 11, 22 | ForEach-Object -ThrottleLimit 2 -Parallel {
                    Import-Module $using:modulePath
                    $errors = @()
                    try { Invoke-InitWeights $using:m -InitCfg $using:cfg -Seed $_ -Force -ErrorAction Stop -WarningVariable w -WarningAction SilentlyContinue }
                    catch { $errors += $_ }
                    [pscustomobject]@{ Errors = @($errors | ForEach-Object { "$_" }); Warnings = @($w | ForEach-Object { "$_" }) }
                }
                @($outcomes.Errors | Where-Object { $_ }) | Should -BeNullOrEmpty -Because "round $round"
                @($outcomes.Warnings | Where-Object { $_ -and $_ -notmatch 'more than once' }) | Should -BeNullOrEmpty -Because "round $round"
                Get-ModelFingerprint $m | Should -BeIn $expected -Because "round $round must end in one whole run"
            }
        }

        It 'registers initializers from eight runspaces at once, every one of them' {
            $stamp = [guid]::NewGuid().ToString('N').Substring(0, 8)
            $names = 1..8 | ForEach-Object { "Par${_}x$stamp" }
            $used = $names | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:modulePath
                Import-Module $using:helpersPath
                Register-InitInitializer -Type $_ -ScriptBlock { param($Module, $Weight, $Arguments, $Generator) $null = $Weight.fill_([TorchSharp.Scalar]7) }
                $m = New-ToyNet
                Invoke-InitWeights $m -InitCfg @{ type = $_; layer = 'Linear' }
                (Get-InitReport $m | Where-Object Name -EQ 'fc.weight').Max
            }
            $used | Should -Be @(7, 7, 7, 7, 7, 7, 7, 7)
            $catalog = @(Get-InitCatalog -Kind Initializer).Name
            foreach ($n in $names) { $catalog | Should -Contain $n }
        }
    }
}
