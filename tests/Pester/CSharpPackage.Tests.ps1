# The InitCfg.Core NuGet package as a C# developer takes it: packed into a local folder feed, examples/csharp built
# against that package in a temporary folder outside the repository (no Directory.Build.* of ours applies there),
# with its own nuget.config (the feed plus the normal registry), then run.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    if (-not $env:INITCFG_MODULE) { $env:INITCFG_MODULE = (Resolve-Path "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1").Path }
    Import-Module $env:INITCFG_MODULE -Force
    $script:root = (Resolve-Path "$PSScriptRoot/../..").Path

    function Invoke-Dotnet([string]$WorkingDirectory, [string[]]$Arguments) {
        Push-Location $WorkingDirectory
        try { $out = & dotnet @Arguments 2>&1 | Out-String; [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $out } }
        finally { Pop-Location }
    }

    # A version no earlier run has put in the global packages folder (which keeps a package by id and version).
    $script:version = '0.0.0-test.' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("initcfg-csharp-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $script:feed = Join-Path $work 'feed'
    $script:app = Join-Path $work 'app'
    $null = New-Item -ItemType Directory -Force -Path $feed, $app

    $script:pack = Invoke-Dotnet $root @('pack', 'src/Core/InitCfg.Core.csproj', '-c', 'Release', '-o', $feed,
        "-p:PackageVersion=$version", '-nologo')
    $script:nupkg = Join-Path $feed "InitCfg.Core.$version.nupkg"

    foreach ($file in 'Program.cs', 'InitCfgExample.csproj', 'init_cfg.yaml') {
        Copy-Item (Join-Path $root "examples/csharp/$file") $app
    }
    $registry = & dotnet nuget list source --format short 2>$null | Where-Object { $_ -match '^E\S*\s+(https?://\S+)' } |
        ForEach-Object { $Matches[1] } | Select-Object -First 1
    if (-not $registry) { $registry = 'https://api.nuget.org/v3/index.json' }
    @"
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="registry" value="$registry" />
  </packageSources>
</configuration>
"@ | Set-Content -Path (Join-Path $app 'nuget.config') -Encoding utf8
    $script:build = Invoke-Dotnet $app @('build', '-c', 'Release', "-p:InitCfgVersion=$version", '-nologo')
    $script:weights = Join-Path $work 'tiny_detector.safetensors'
    $script:run = Invoke-Dotnet $app @('run', '--no-build', '-c', 'Release', '--', 'init_cfg.yaml', $weights)
}

AfterAll {
    if ($work -and (Test-Path $work)) { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
    $cache = Get-NuGetPackagesFolder
    $cached = Join-Path $cache "initcfg.core/$version"
    if (Test-Path $cached) { Remove-Item -LiteralPath $cached -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'InitCfg.Core package' {
    It 'packs with its metadata, readme, XML docs and the buildTransitive libstdc++ fix' {
        $pack.ExitCode | Should -Be 0 -Because $pack.Output
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($nupkg)
        try {
            $names = $zip.Entries.FullName
            $names | Should -Contain 'README.md'
            $names | Should -Contain 'lib/net10.0/InitCfg.Core.dll'
            $names | Should -Contain 'lib/net10.0/InitCfg.Core.xml'
            $names | Should -Contain 'buildTransitive/InitCfg.Core.targets'
            $names | Should -Contain 'buildTransitive/RelaxMissingGlibcxxVersions.cs'
            $reader = [IO.StreamReader]::new($zip.GetEntry('InitCfg.Core.nuspec').Open())
            [xml]$nuspec = $reader.ReadToEnd(); $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $m = $nuspec.package.metadata
        $m.description | Should -Match 'init_cfg'
        $m.description | Should -Not -Be 'Package Description'
        $m.license.type | Should -Be 'expression'
        $m.license.'#text' | Should -Be 'MIT'
        $m.readme | Should -Be 'README.md'
        $m.tags | Should -Match 'TorchSharp'
        $m.PSObject.Properties.Name | Should -Not -Contain 'projectUrl'
        # The backend (libtorch natives) is the application's choice, as with TorchSharp itself.
        $deps = @($m.dependencies.group.dependency.id)
        $deps | Should -Contain 'TorchSharp'
        $deps | Where-Object { $_ -like 'libtorch*' } | Should -BeNullOrEmpty
    }

    It 'builds examples/csharp against the package outside the repository' {
        $build.ExitCode | Should -Be 0 -Because $build.Output
        $app | Should -Not -BeLike "$root*"
        Get-ChildItem -Path $app -Recurse -Filter 'InitCfg.Core.dll' | Should -Not -BeNullOrEmpty
        Get-ChildItem -Path $app -Recurse -Filter 'InitCfg.Cmdlets.dll' | Should -BeNullOrEmpty
    }

    It 'runs: initializes from the YAML init_cfg with a seed, prints the report, refuses a bad config, exports' {
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'Initialized 8 parameter tensors'
        $run.Output | Should -Match 'conv\.weight\s+8x3x3x3\s+KaimingInit: a=0, mode=fan_out, nonlinearity=relu'
        $run.Output | Should -Match 'bn\.weight\s+8\s+ConstantInit: val=1'
        $run.Output | Should -Match 'cls\.bias\s+3\s+NormalInit: mean=0, std=0\.01, bias=-4\.59511985'
        $run.Output | Should -Match 'refused \(InvalidArgumentValue\): init_cfg\.std'
        $run.Output | Should -Match 'Exported tiny_detector\.safetensors'
        $run.Output | Should -Not -Match 'GLIBCXX'
    }

    It 'marks the GLIBCXX need optional in the app output exactly when the system lacks it, never in the NuGet cache' -Skip:(-not $IsLinux) {
        $libstdcxx = @('/usr/lib/x86_64-linux-gnu/libstdc++.so.6', '/lib/x86_64-linux-gnu/libstdc++.so.6', '/usr/lib64/libstdc++.so.6') |
            Where-Object { Test-Path $_ } | Select-Object -First 1
        $libstdcxx | Should -Not -BeNullOrEmpty
        $needed = -not [IO.File]::ReadAllText($libstdcxx, [Text.Encoding]::Latin1).Contains('GLIBCXX_3.4.32')
        $built = Join-Path $app 'bin/Release/net10.0/runtimes/linux-x64/native/libLibTorchSharp.so'
        $cache = Get-NuGetPackagesFolder
        $cached = Join-Path $cache 'torchsharp/0.107.0/runtimes/linux-x64/native/libLibTorchSharp.so'
        ((Get-FileHash $built).Hash -ne (Get-FileHash $cached).Hash) | Should -Be $needed
        # The cache keeps the library as the package ships it.
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead((Join-Path $cache 'torchsharp/0.107.0/torchsharp.0.107.0.nupkg'))
        try {
            $shipped = [IO.MemoryStream]::new()
            $zip.GetEntry('runtimes/linux-x64/native/libLibTorchSharp.so').Open().CopyTo($shipped)
            $shipped.Position = 0
            (Get-FileHash -InputStream $shipped).Hash | Should -Be (Get-FileHash $cached).Hash
        }
        finally { $zip.Dispose() }
    }

    It 'exports the same weights as the PowerShell module does for the same config and seed' {
        $weights | Should -Exist
        $model = New-InitModel -Config @{
            type = 'Module'; class_name = 'TinyDetector'
            modules = [ordered]@{
                conv = @{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3; padding = 1 }
                bn   = @{ type = 'BatchNorm2d'; num_features = 8 }
                reg  = @{ type = 'Linear'; in_features = 8; out_features = 4 }
                cls  = @{ type = 'Linear'; in_features = 8; out_features = 3 }
            }
        }
        Invoke-InitWeights -Model $model -InitCfg (New-InitCfg -Path (Join-Path $root 'examples/csharp/init_cfg.yaml')) -Seed 0
        $mine = Join-Path $TestDrive 'module.safetensors'
        Export-InitWeights -Model $model -Path $mine
        (Get-FileHash $mine).Hash | Should -Be (Get-FileHash $weights).Hash
    }
}
