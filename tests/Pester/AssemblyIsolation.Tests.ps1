# InitCfg's private dependencies load in its own AssemblyLoadContext: in one session with a module that loaded
# another YamlDotNet (16.3.0 from NuGet; InitCfg ships 18.x), both work, whichever came first. Each case runs in a
# fresh pwsh, as a user's session would.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    if (-not $env:INITCFG_MODULE) { $env:INITCFG_MODULE = (Resolve-Path "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1").Path }
    $script:root = (Resolve-Path "$PSScriptRoot/../..").Path
    $cache = Get-NuGetPackagesFolder
    # tests/Pester/Pester.Restore.proj downloads it.
    $script:otherYaml = Join-Path $cache 'yamldotnet/16.3.0/lib/net8.0/YamlDotNet.dll'

    $script:useOther = @"
`$other = [YamlDotNet.Serialization.DeserializerBuilder]::new().Build().Deserialize[object]('answer: 42')
'other module yaml: ' + `$other['answer']
"@
    $script:useInitCfg = @"
Import-Module '$env:INITCFG_MODULE'
`$model = New-InitModel -Config '$root/examples/retinanet_like.yaml'
Invoke-InitWeights -Model `$model -Seed 0
'report rows: ' + @(Get-InitReport -Model `$model).Count
'config: ' + (New-InitCfg -Path '$root/examples/csharp/init_cfg.yaml')[0].ToString()
'typed: ' + ((Get-InitCatalog -Kind Initializer)[0] -is [InitCfg.Core.Reports.CatalogEntry])
"@
    $script:listAssemblies = @'
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'YamlDotNet', 'InitCfg.Core', 'TorchSharp' } |
    ForEach-Object { 'loaded {0} {1} in {2}' -f $_.GetName().Name, $_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
'@

    function Invoke-Session([string]$Script) {
        $out = & dotnet pwsh -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Script" 2>&1 | Out-String
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $out }
    }
}

Describe 'InitCfg next to another YamlDotNet' {
    It 'has the other YamlDotNet version to test with' {
        $otherYaml | Should -Exist
        [Reflection.AssemblyName]::GetAssemblyName($otherYaml).Version.Major | Should -Be 16
    }

    It 'works when another module loaded YamlDotNet 16 first' {
        $r = Invoke-Session "Add-Type -Path '$otherYaml'`n$useOther`n$useInitCfg`n$useOther`n$listAssemblies"
        $r.ExitCode | Should -Be 0 -Because $r.Output
        ([regex]::Matches($r.Output, 'other module yaml: 42')).Count | Should -Be 2
        # One TorchSharp, shared with scripts that build models; the engine and its YamlDotNet in InitCfg's context.
        foreach ($expected in 'report rows: 47', "config: dict\(type='Kaiming'", 'typed: True',
            'loaded YamlDotNet 16\.0\.0\.0 in Default', 'loaded YamlDotNet 18\.\d+\.\d+\.\d+ in InitCfg',
            'loaded InitCfg\.Core [\d.]+ in InitCfg', 'loaded TorchSharp [\d.]+ in Default') {
            $r.Output | Should -Match $expected
        }
    }

    It 'works when InitCfg came first and the other module loads YamlDotNet 16 after it' {
        $r = Invoke-Session "$useInitCfg`nAdd-Type -Path '$otherYaml'`n$useOther`n$listAssemblies"
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'other module yaml: 42'
        $r.Output | Should -Match 'report rows: 47'
        $r.Output | Should -Match 'loaded YamlDotNet 16\.0\.0\.0 in Default'
        $r.Output | Should -Match 'loaded YamlDotNet 18\.\d+\.\d+\.\d+ in InitCfg'
    }
}
