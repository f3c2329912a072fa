# tools/Show-Dependencies.ps1: the namespaces of src/Core import each other one way only, and the script that
# says so fails when they do not.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:script = (Resolve-Path "$PSScriptRoot/../../tools/Show-Dependencies.ps1").Path

    # Runs the script in a child pwsh (it ends with `exit`); returns its output lines and exit code.
    function Invoke-ShowDependencies([string[]]$Arguments) {
        $cmd = Get-PwshCommand
        $out = & $cmd[0] @($cmd | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script @Arguments 2>&1
        [pscustomobject]@{ Lines = @($out | ForEach-Object { "$_" }); ExitCode = $LASTEXITCODE }
    }
}

Describe 'Show-Dependencies' {
    It 'finds no cycle among the namespaces of src/Core' {
        $r = Invoke-ShowDependencies @()
        $r.Lines | Should -Contain 'no cycle'
        $r.ExitCode | Should -Be 0
        $r.Lines | Should -Contain 'Walk -> Initializers'
        $r.Lines | Should -Not -Contain 'Initializers -> Walk'
        $r.Lines | Should -Not -Contain 'Walk -> Reports'
    }

    It 'names the cycle and fails when two namespaces import each other' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "deps-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory -Path "$dir/A", "$dir/B" | Out-Null
        try {
            Set-Content "$dir/A/One.cs" "using InitCfg.Core.B;`nnamespace InitCfg.Core.A;`npublic class One { }"
            Set-Content "$dir/B/Two.cs" "using InitCfg.Core.A;`nnamespace InitCfg.Core.B;`npublic class Two { }"
            $r = Invoke-ShowDependencies @('-Path', $dir)
            $r.ExitCode | Should -Be 1
            $r.Lines | Should -Contain 'cycle: A -> B -> A'
        }
        finally { Remove-Item -LiteralPath $dir -Recurse -Force }
    }
}
