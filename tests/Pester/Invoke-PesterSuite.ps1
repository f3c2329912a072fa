<#
.SYNOPSIS
    Runs the Pester suite in tests/Pester and writes a JSON summary. Called by build.ps1 in a fresh pwsh process.

.DESCRIPTION
    Imports the Pester module given by -PesterModule (restored from NuGet by tests/Pester/Pester.Restore.proj),
    runs every *.Tests.ps1 under -TestPath, writes NUnit XML results and a summary JSON
    (PassedCount, FailedCount, SkippedCount, TotalCount, Result) to -ResultDirectory.
    The tests import the module under test from $env:INITCFG_MODULE, which the caller sets.
    Exits 0 when the summary was written (build.ps1 judges the counts), 1 if Pester itself could not run.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string]$PesterModule,
    [Parameter(Mandatory)][string]$TestPath,
    [Parameter(Mandatory)][string]$ResultDirectory
)

$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'

Import-Module $PesterModule -Force

$null = New-Item -ItemType Directory -Force -Path $ResultDirectory

$config = New-PesterConfiguration
$config.Run.Path = $TestPath
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultDirectory 'pester.xml'

$result = Invoke-Pester -Configuration $config

# A failing BeforeAll marks its tests failed (FailedCount); a file that cannot even be discovered only shows
# in FailedContainersCount. Never report zero failures for a run Pester itself calls failed.
$failed = [int]($result.FailedCount + $result.FailedContainersCount)
if ($result.Result -eq 'Failed' -and $failed -eq 0) { $failed = [Math]::Max(1, [int]$result.FailedBlocksCount) }

[ordered]@{
    PassedCount  = [int]$result.PassedCount
    FailedCount  = $failed
    SkippedCount = [int]$result.SkippedCount
    TotalCount   = [int]$result.TotalCount
    Result       = [string]$result.Result
} | ConvertTo-Json | Set-Content -Path (Join-Path $ResultDirectory 'pester-summary.json') -Encoding utf8

exit 0
