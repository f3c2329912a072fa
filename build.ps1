<#
.SYNOPSIS
    Builds, tests and runs the InitCfg PowerShell module.

.DESCRIPTION
    Tasks:
      Build  Publishes src/Cmdlets to out/InitCfg, drops native libraries that are never loaded,
             copies module/ (manifest, formats, help) next to the dlls and stamps the module version
             from Directory.Build.props.
      Test   Build, then the xunit tests (tests/Core.Tests) and the Pester suite (tests/Pester, run in a
             fresh pwsh process against out/InitCfg). Results go to out/test-results. The last line printed
             is "<passed> passed, <failed> failed, <skipped> skipped" over both runners; the exit code is 1
             when a test failed or a runner ran no tests.
      Demo   Build, then run examples/demo.ps1 in a fresh pwsh process.
      Bench  Build, then run every bench/*.ps1 in a fresh pwsh process (-Quick: the reduced set, under two
             minutes); bench/Invoke-Benchmarks.ps1 writes out/bench/results.json and prints a table.
      Clean  Remove out/ and every bin/ and obj/ under src/ and tests/.
      Package
             For each -Runtime (default: linux-x64, win-x64, osx-arm64): the module built for that platform in
             out/platforms/<rid>/InitCfg (its natives next to the dlls, where TorchSharp loads them; the manifest
             tagged for the platform, with a FileList), then a PSResourceGet package of it in
             out/packages/<rid>/InitCfg.<version>.nupkg (Compress-PSResource; -NoArchive skips it). Not part of
             Build/Test: the tests that need a platform's output run this task for that platform only.

    Run from the repository (the local tool manifest provides pwsh):
      dotnet tool restore
      dotnet pwsh ./build.ps1 Test

.PARAMETER Task
    Build (default), Test, Demo, Bench or Clean.

.PARAMETER Configuration
    dotnet build configuration, Release by default.

.PARAMETER Runtime
    Package only: the platforms to build (linux-x64, win-x64, osx-arm64).

.EXAMPLE
    dotnet pwsh ./build.ps1 Package -Runtime win-x64 -NoArchive

.EXAMPLE
    dotnet pwsh ./build.ps1 Build -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Clean', 'Package')]
    [string]$Task = 'Build',
    [string]$Configuration = 'Release',
    # Bench only: a reduced set that runs in under two minutes.
    [switch]$Quick,
    # Package only: the platforms to build, and whether to skip the .nupkg.
    # (comma-separated in one argument too, as `dotnet pwsh -File` passes it).
    [string[]]$Runtime = @('linux-x64', 'win-x64', 'osx-arm64'),
    [switch]$NoArchive
)

$ErrorActionPreference = 'Stop'
# Native exit codes are checked explicitly below (a failing `dotnet test` must not throw).
$PSNativeCommandUseErrorActionPreference = $false
$PSStyle.OutputRendering = 'PlainText'
$env:NO_COLOR = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir 'InitCfg'
$ModuleManifest = Join-Path $ModuleDir 'InitCfg.psd1'
$ResultsDir = Join-Path $OutDir 'test-results'
# The platform Invoke-Build publishes for (Directory.Build.props' RuntimeIdentifier unless Package says otherwise).
$PublishRuntime = 'linux-x64'

# `dotnet pwsh` (the local tool) only resolves inside the tree that holds dotnet-tools.json.
Set-Location $Root

# Native libraries shipped by libtorch that InitCfg never loads (measured on linux-x64: leaving them out saves ~35 MB).
$UnusedNatives = @(
    'libtorch_python.so'
    'libtorch_python.dylib'
    '*_test.so'
    'libbackend_with_compiler.so'
    'libnnapi_backend.so'
    'libaoti_custom_ops.so'
    'libjitbackend_test.so'
)

function Write-Step([string]$Message) {
    Write-Host "==> $Message"
}

# Runs a native command (first argument) with the remaining arguments, shows its output on the host
# and throws when it exits non-zero. Deliberately a plain function: $args takes '-c', '-o' as they are.
function Invoke-Native {
    $exe, $rest = $args
    & $exe @rest | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "'$exe $($rest -join ' ')' failed with exit code $LASTEXITCODE"
    }
}

# Runs a script in a fresh pwsh process (no profile) with INITCFG_MODULE pointing at the built module.
# Returns the process exit code.
function Invoke-FreshPwsh {
    param(
        [Parameter(Mandatory)][string]$ScriptPath,
        [string[]]$Arguments = @()
    )
    $env:INITCFG_MODULE = $ModuleManifest
    & dotnet pwsh -NoProfile -NonInteractive -File $ScriptPath @Arguments | Out-Host
    return $LASTEXITCODE
}

function Get-ProjectVersion {
    [xml]$props = Get-Content -Raw (Join-Path $Root 'Directory.Build.props')
    $node = $props.SelectSingleNode('/Project/PropertyGroup/Version')
    if (-not $node -or -not $node.InnerText.Trim()) { throw 'No <Version> in Directory.Build.props' }
    return $node.InnerText.Trim()
}

# Assemblies that load in InitCfg's own AssemblyLoadContext (src/Cmdlets/DependencyLoadContext.cs), so a module
# with another YamlDotNet or SkiaSharp can share the session. TorchSharp and TorchVision stay shared.
$PrivateDependencies = @('InitCfg.Core', 'YamlDotNet', 'ScottPlot', 'SkiaSharp', 'SkiaSharp.HarfBuzz', 'HarfBuzzSharp', 'System.IO.Hashing')

function Move-PrivateDependency {
    Write-Step 'Moving private dependencies to dependencies/ (their own AssemblyLoadContext)'
    $target = Join-Path $ModuleDir 'dependencies'
    $null = New-Item -ItemType Directory -Force -Path $target
    foreach ($name in $PrivateDependencies) {
        foreach ($ext in '.dll', '.pdb', '.xml') {
            $file = Join-Path $ModuleDir "$name$ext"
            if (Test-Path -LiteralPath $file) { Move-Item -LiteralPath $file -Destination $target -Force }
        }
        if (-not (Test-Path -LiteralPath (Join-Path $target "$name.dll"))) { throw "$name.dll was not published to $ModuleDir" }
    }
}

function Invoke-Build {
    Write-Step "Publishing src/Cmdlets ($Configuration) to $ModuleDir"
    Invoke-Native dotnet publish (Join-Path $Root 'src/Cmdlets/InitCfg.Cmdlets.csproj') `
        -c $Configuration -r $PublishRuntime -o $ModuleDir

    Write-Step 'Removing native libraries that are never loaded'
    foreach ($pattern in $UnusedNatives) {
        Get-ChildItem -Path $ModuleDir -Filter $pattern -File | ForEach-Object {
            Write-Host "    removed $($_.Name)"
            Remove-Item -LiteralPath $_.FullName -Force
        }
    }

    Move-PrivateDependency

    Write-Step 'Copying module/ into the module folder'
    $source = Join-Path $Root 'module'
    Get-ChildItem -Path $source -Recurse -File | ForEach-Object {
        $relative = [System.IO.Path]::GetRelativePath($source, $_.FullName)
        $target = Join-Path $ModuleDir $relative
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $target)
        Copy-Item -LiteralPath $_.FullName -Destination $target -Force
    }

    $version = Get-ProjectVersion
    Write-Step "Stamping ModuleVersion $version"
    $text = Get-Content -Raw -LiteralPath $ModuleManifest
    $pattern = "(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'"
    if ($text -notmatch $pattern) { throw "No ModuleVersion entry in $ModuleManifest" }
    $text = [regex]::Replace($text, $pattern, "`${1}'$version'")
    Set-Content -LiteralPath $ModuleManifest -Value $text -NoNewline -Encoding utf8

    # Help: module/help (*.help.psd1, about_*.help.txt) -> en-US/ (MAML + about topics); fails on missing help.
    Write-Step 'Building help (tools/Build-Help.ps1)'
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/Build-Help.ps1') `
        -ModuleManifest $ModuleManifest -Source (Join-Path $Root 'module/help') `
        -Destination (Join-Path $ModuleDir 'en-US') | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "tools/Build-Help.ps1 failed with exit code $LASTEXITCODE" }
    Remove-Item -LiteralPath (Join-Path $ModuleDir 'help') -Recurse -Force -ErrorAction SilentlyContinue

    Write-Host "Module: $ModuleManifest"
}

# Runs the xunit project; returns its counts (a failed run counts as one failure).
function Invoke-XunitTests {
    $trx = Join-Path $ResultsDir 'core.trx'
    Remove-Item -LiteralPath $trx -Force -ErrorAction SilentlyContinue

    Write-Step 'Running xunit tests (tests/Core.Tests)'
    & dotnet test (Join-Path $Root 'tests/Core.Tests/InitCfg.Core.Tests.csproj') -c $Configuration `
        --logger 'trx;LogFileName=core.trx' --results-directory $ResultsDir | Out-Host
    $exitCode = $LASTEXITCODE

    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    if (Test-Path -LiteralPath $trx) {
        [xml]$doc = Get-Content -Raw -LiteralPath $trx
        $c = $doc.TestRun.ResultSummary.Counters
        $counts.Passed = [int]$c.passed
        $counts.Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        # vstest counts skipped tests in total but in none of the outcome counters.
        $counts.Skipped = [int]$c.total - [int]$c.executed + [int]$c.notExecuted
    }
    else {
        Write-Warning "dotnet test wrote no $trx (exit code $exitCode)"
    }
    if ($exitCode -ne 0 -and $counts.Failed -eq 0) {
        Write-Warning "dotnet test exited with $exitCode without reporting a failed test; counting one failure"
        $counts.Failed = 1
    }
    return $counts
}

# Restores Pester from NuGet and runs tests/Pester in a fresh pwsh process; returns its counts.
function Invoke-PesterTests {
    Write-Step 'Restoring Pester (tests/Pester/Pester.Restore.proj)'
    Invoke-Native dotnet restore (Join-Path $Root 'tests/Pester/Pester.Restore.proj')

    $locals = & dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw 'dotnet nuget locals global-packages --list failed' }
    $line = @($locals | Where-Object { $_ -match 'global-packages:\s*(.+)$' })[0]
    if (-not $line) { throw "Cannot find the global-packages folder in: $locals" }
    $globalPackages = ([regex]::Match($line, 'global-packages:\s*(.+)$').Groups[1].Value).Trim()
    $pester = Join-Path $globalPackages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path -LiteralPath $pester)) { throw "Pester module not found at $pester" }

    $summary = Join-Path $ResultsDir 'pester-summary.json'
    Remove-Item -LiteralPath $summary -Force -ErrorAction SilentlyContinue

    Write-Step 'Running Pester tests (tests/Pester)'
    $exitCode = Invoke-FreshPwsh -ScriptPath (Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1') -Arguments @(
        '-PesterModule', $pester
        '-TestPath', (Join-Path $Root 'tests/Pester')
        '-ResultDirectory', $ResultsDir
    )

    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    if (Test-Path -LiteralPath $summary) {
        $s = Get-Content -Raw -LiteralPath $summary | ConvertFrom-Json
        $counts.Passed = [int]$s.PassedCount
        $counts.Failed = [int]$s.FailedCount
        $counts.Skipped = [int]$s.SkippedCount
    }
    else {
        Write-Warning "The Pester run wrote no $summary (exit code $exitCode); counting one failure"
        $counts.Failed = 1
    }
    return $counts
}

function Invoke-Test {
    Invoke-Build
    $null = New-Item -ItemType Directory -Force -Path $ResultsDir

    $xunit = Invoke-XunitTests
    $pester = Invoke-PesterTests

    Write-Host ''
    Write-Host "xunit totals - passed $($xunit.Passed) / failed $($xunit.Failed) / skipped $($xunit.Skipped)"
    Write-Host "pester totals - passed $($pester.Passed) / failed $($pester.Failed) / skipped $($pester.Skipped)"

    $ok = $true
    foreach ($runner in @(@{ Name = 'xunit'; Counts = $xunit }, @{ Name = 'pester'; Counts = $pester })) {
        $c = $runner.Counts
        if ($c.Passed + $c.Failed + $c.Skipped -eq 0) {
            Write-Host "$($runner.Name) ran no tests"
            $ok = $false
        }
        if ($c.Failed -gt 0) { $ok = $false }
    }

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    # Keep this the last line of output: CI reads it.
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    exit ($(if ($ok) { 0 } else { 1 }))
}

function Invoke-Demo {
    Invoke-Build
    Write-Step 'Running examples/demo.ps1'
    exit (Invoke-FreshPwsh -ScriptPath (Join-Path $Root 'examples/demo.ps1'))
}

function Invoke-Bench {
    Invoke-Build
    $scripts = @(Get-ChildItem -Path (Join-Path $Root 'bench') -Filter '*.ps1' -File -ErrorAction SilentlyContinue |
        Sort-Object Name)
    if ($scripts.Count -eq 0) {
        Write-Host 'No bench/*.ps1 scripts; nothing to run.'
        exit 0
    }
    $failures = 0
    foreach ($script in $scripts) {
        Write-Step "Running bench/$($script.Name)"
        $benchArgs = @('-Configuration', $Configuration, '-OutDirectory', (Join-Path $OutDir 'bench'))
        if ($Quick) { $benchArgs += '-Quick' }
        $code = Invoke-FreshPwsh -ScriptPath $script.FullName -Arguments $benchArgs
        if ($code -ne 0) {
            Write-Warning "bench/$($script.Name) exited with $code"
            $failures++
        }
    }
    exit ($(if ($failures -eq 0) { 0 } else { 1 }))
}

function Invoke-Clean {
    Write-Step 'Removing out/ and bin/ obj/ under src/ and tests/'
    if (Test-Path -LiteralPath $OutDir) { Remove-Item -LiteralPath $OutDir -Recurse -Force }
    foreach ($top in 'src', 'tests') {
        $dir = Join-Path $Root $top
        if (-not (Test-Path -LiteralPath $dir)) { continue }
        Get-ChildItem -Path $dir -Recurse -Directory -Force |
            Where-Object { $_.Name -in 'bin', 'obj' } |
            Sort-Object { $_.FullName.Length } |
            ForEach-Object {
                if (Test-Path -LiteralPath $_.FullName) {
                    Write-Host "    removed $([System.IO.Path]::GetRelativePath($Root, $_.FullName))"
                    Remove-Item -LiteralPath $_.FullName -Recurse -Force
                }
            }
    }
}

# PSGallery's platform tags, by runtime.
$PlatformTags = @{ 'linux-x64' = 'Linux'; 'win-x64' = 'Windows'; 'osx-arm64' = 'MacOS' }

# Builds the module for one platform into out/platforms/<rid>/InitCfg and tags its manifest for that platform,
# with a FileList of what it ships. Reuses Invoke-Build with the module folder and runtime swapped.
function Invoke-PlatformBuild([string]$Rid) {
    $saved = $script:ModuleDir, $script:ModuleManifest, $script:PublishRuntime
    try {
        $script:ModuleDir = Join-Path $OutDir "platforms/$Rid/InitCfg"
        $script:ModuleManifest = Join-Path $script:ModuleDir 'InitCfg.psd1'
        $script:PublishRuntime = $Rid
        if (Test-Path -LiteralPath $script:ModuleDir) { Remove-Item -LiteralPath $script:ModuleDir -Recurse -Force }
        Invoke-Build

        Write-Step "Tagging the $Rid manifest ($($PlatformTags[$Rid])) and listing its files"
        $files = Get-ChildItem -Path $script:ModuleDir -Recurse -File | ForEach-Object {
            [System.IO.Path]::GetRelativePath($script:ModuleDir, $_.FullName) -replace '\\', '/'
        } | Sort-Object
        $text = Get-Content -Raw -LiteralPath $script:ModuleManifest
        $others = $PlatformTags.Values | Where-Object { $_ -ne $PlatformTags[$Rid] }
        $text = [regex]::Replace($text, "'($($others -join '|'))'", "'$($PlatformTags[$Rid])'")
        if ($text -notmatch "'$($PlatformTags[$Rid])'") {
            $text = $text -replace "(Tags\s*=\s*@\()", "`$1'$($PlatformTags[$Rid])', "
        }
        $list = ($files | ForEach-Object { "'$_'" }) -join ",`n        "
        $text = $text -replace "(?m)^(\s*FileList\s*=\s*@\()[^)]*\)", ''
        $text = $text -replace "(?m)^(\s*PrivateData\s*=)", "    FileList               = @(`n        $list`n    )`n`$1"
        Set-Content -LiteralPath $script:ModuleManifest -Value $text -NoNewline -Encoding utf8
        return $script:ModuleDir
    }
    finally { $script:ModuleDir, $script:ModuleManifest, $script:PublishRuntime = $saved }
}

function Invoke-Package {
    $rids = @($Runtime | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })
    foreach ($rid in $rids) {
        if (-not $PlatformTags.ContainsKey($rid)) { throw "Unknown -Runtime '$rid': use linux-x64, win-x64 or osx-arm64." }
    }
    foreach ($rid in $rids) {
        $dir = Invoke-PlatformBuild $rid
        $size = (Get-ChildItem -Path $dir -Recurse -File | Measure-Object Length -Sum).Sum
        Write-Host ("Module for {0}: {1} ({2:N0} MB, {3} files)" -f $rid, $dir, ($size / 1MB),
            @(Get-ChildItem -Path $dir -Recurse -File).Count)
        if ($NoArchive) { continue }
        $destination = Join-Path $OutDir "packages/$rid"
        if (Test-Path -LiteralPath $destination) { Remove-Item -LiteralPath $destination -Recurse -Force }
        $null = New-Item -ItemType Directory -Force -Path $destination
        Write-Step "Compress-PSResource $dir -> $destination"
        Compress-PSResource -Path $dir -DestinationPath $destination
        Get-ChildItem -Path $destination -Filter '*.nupkg' | ForEach-Object {
            Write-Host ("Package for {0}: {1} ({2:N0} MB)" -f $rid, $_.FullName, ($_.Length / 1MB))
        }
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Clean' { Invoke-Clean }
    'Package' { Invoke-Package }
}
