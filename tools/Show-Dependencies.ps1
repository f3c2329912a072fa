<#
.SYNOPSIS
    Prints the namespace -> namespace edges of src/Core (from its `using InitCfg.Core.*` lines) and fails on a cycle.
.DESCRIPTION
    Each .cs file's namespace comes from its `namespace` line; each `using InitCfg.Core.X;` (or `using static`)
    line is an edge from that namespace to InitCfg.Core.X. The edges are printed one a line, sorted, as
    `Walk -> Initializers`. When the edges form a cycle the cycle is printed and the script exits with 1.
    The intended direction: Errors and Layers at the bottom; Configs -> Initializers -> Modules -> Walk ->
    Reports, with Building and Checkpoints beside.
.PARAMETER Path
    The folder to read; default: src/Core beside this script.
.EXAMPLE
    dotnet pwsh ./tools/Show-Dependencies.ps1
.EXAMPLE
    dotnet pwsh ./tools/Show-Dependencies.ps1 -Path ../other/src/Core
#>
[CmdletBinding()]
param([string] $Path = (Join-Path $PSScriptRoot '../src/Core'))

$ErrorActionPreference = 'Stop'
$prefix = 'InitCfg.Core'
$edges = [System.Collections.Generic.SortedSet[string]]::new()
$graph = @{}
$files = Get-ChildItem -LiteralPath $Path -Recurse -Filter *.cs |
    Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
foreach ($file in $files) {
    $text = Get-Content -LiteralPath $file.FullName -Raw
    if ($text -notmatch "(?m)^namespace\s+$([regex]::Escape($prefix))\.?([\w.]*)\s*[;{]") { continue }
    $from = if ($Matches[1]) { $Matches[1] } else { '(root)' }
    if (-not $graph.ContainsKey($from)) { $graph[$from] = [System.Collections.Generic.HashSet[string]]::new() }
    foreach ($m in [regex]::Matches($text, "(?m)^using\s+(?:static\s+)?$([regex]::Escape($prefix))\.([\w]+)")) {
        $to = $m.Groups[1].Value
        # A sub-namespace (Checkpoints.Pickle) counts as its folder's namespace.
        $fromTop = $from.Split('.')[0]
        if ($to -eq $fromTop) { continue }
        [void]$edges.Add("$fromTop -> $to")
        if (-not $graph.ContainsKey($fromTop)) { $graph[$fromTop] = [System.Collections.Generic.HashSet[string]]::new() }
        [void]$graph[$fromTop].Add($to)
    }
}
$edges | ForEach-Object { $_ }

# Depth-first search; a node met again while still on the stack closes a cycle.
$state = @{}
$stack = [System.Collections.Generic.List[string]]::new()
$cycle = $null
function Visit([string] $node) {
    $state[$node] = 'open'
    $stack.Add($node)
    foreach ($next in @($graph[$node])) {
        if (-not $next -or $script:cycle) { continue }
        if ($state[$next] -eq 'open') {
            $start = $stack.IndexOf($next)
            $script:cycle = @($stack.GetRange($start, $stack.Count - $start)) + $next
        }
        elseif (-not $state[$next]) { Visit $next }
    }
    $stack.RemoveAt($stack.Count - 1)
    $state[$node] = 'done'
}
foreach ($node in @($graph.Keys | Sort-Object)) { if (-not $state[$node] -and -not $cycle) { Visit $node } }
if ($cycle) {
    Write-Host "cycle: $($cycle -join ' -> ')"
    exit 1
}
Write-Host 'no cycle'
