# The module built for Windows and macOS (build.ps1 Package -Runtime win-x64,osx-arm64 -NoArchive), checked here
# where neither can run: every native library TorchSharp (and the HTML report's SkiaSharp) loads on that platform
# is shipped with everything it links against that the OS does not provide; the manifest lists the files; nothing of
# another platform is shipped. The Linux output is the one the rest of the suite runs.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module (Join-Path $PSScriptRoot 'NativeImage.psm1') -Force
    $script:root = (Resolve-Path "$PSScriptRoot/../..").Path
    Push-Location $root
    try { $script:buildLog = & dotnet pwsh -NoProfile -NonInteractive -File build.ps1 Package -Runtime 'win-x64,osx-arm64' -NoArchive 2>&1 | Out-String; $script:buildExit = $LASTEXITCODE }
    finally { Pop-Location }

    # TorchSharp 0.107's LoadNativeBackend (src/TorchSharp/Torch.cs) loads "torch_cpu", then "LibTorchSharp", by
    # name next to TorchSharp.dll; SkiaSharp and HarfBuzzSharp load their own library the same way. The OS loader
    # resolves the rest from their import tables.
    $script:platforms = @{
        'win-x64'   = @{
            Dir = Join-Path $root 'out/platforms/win-x64/InitCfg'; Format = 'PE'; Tag = 'Windows'
            Roots = 'torch_cpu.dll', 'LibTorchSharp.dll', 'libSkiaSharp.dll', 'libHarfBuzzSharp.dll'
            Arch = { param($a) $a -eq 'x64' }
            # Windows' own DLLs (API sets, Win32, Direct3D for Skia).
            System = '^(api-ms-win-.+|ext-ms-win-.+|kernel32|user32|advapi32|ws2_32|ole32|oleaut32|shell32|gdi32|dbghelp|psapi|iphlpapi|userenv|wintrust|imagehlp|fontsub|d3d12|d3dcompiler_47|dxgi|bcrypt|crypt32|ucrtbase|ntdll|shlwapi|version|winmm|secur32)\.dll$'
            # The Microsoft Visual C++ 2015-2022 Redistributable: a prerequisite on Windows (README).
            Prerequisite = '^(msvcp140.*|vcruntime140.*|vcomp140)\.dll$'
            Foreign = '\.(so|dylib)$|\.so\.'
        }
        'osx-arm64' = @{
            Dir = Join-Path $root 'out/platforms/osx-arm64/InitCfg'; Format = 'MachO'; Tag = 'MacOS'
            Roots = 'libtorch_cpu.dylib', 'libLibTorchSharp.dylib', 'libSkiaSharp.dylib', 'libHarfBuzzSharp.dylib'
            Arch = { param($a) $a -eq 'arm64' -or $a -match '^universal\(.*arm64.*\)$' }
            System = '^(/usr/lib/|/System/Library/)'
            Prerequisite = '^$'
            # libtorch_cpu.dylib (libtorch-cpu-osx-arm64 2.10.0) names libomp by its Homebrew path; the shipped
            # libomp.dylib has that install name, and the module loads it first (ModuleInitializer), so dyld reuses it.
            Preloaded = @('libomp.dylib')
            Foreign = '\.so$|\.so\.'
        }
    }

    function Get-LoadClosure([hashtable]$P) {
        $files = @{}
        Get-ChildItem -Path $P.Dir -File | ForEach-Object { $files[$_.Name.ToLowerInvariant()] = $_.FullName }
        $seen = [ordered]@{}; $missing = @(); $prerequisites = @()
        $queue = [Collections.Generic.Queue[string]]::new()
        foreach ($r in $P.Roots) { $queue.Enqueue($r) }
        while ($queue.Count -gt 0) {
            $name = $queue.Dequeue()
            $key = $name.ToLowerInvariant()
            if ($seen.Contains($key)) { continue }
            if (-not $files.ContainsKey($key)) { $missing += $name; continue }
            $image = Get-NativeImage $files[$key]
            $seen[$key] = $image
            foreach ($import in $image.Imports) {
                $local = if ($P.Format -eq 'MachO') { if ($import -match '^@(rpath|loader_path)/(.+)$') { $Matches[2] } else { $null } } else { $import }
                if ($P.Format -eq 'MachO' -and -not $local) {
                    $preloaded = @($P.Preloaded | Where-Object { $files.ContainsKey($_) -and (Get-NativeImage $files[$_]).Id -eq $import })
                    if ($preloaded) { $queue.Enqueue($preloaded[0]) }
                    elseif ($import -notmatch $P.System) { $missing += "$import (from $name)" }
                }
                elseif ($files.ContainsKey($local.ToLowerInvariant())) { $queue.Enqueue($local) }
                elseif ($local -match $P.System) { }
                elseif ($local -match $P.Prerequisite) { $prerequisites += $local }
                else { $missing += "$local (from $name)" }
            }
        }
        [pscustomobject]@{ Loaded = $seen; Missing = $missing; Prerequisites = @($prerequisites | Sort-Object -Unique) }
    }
}

Describe 'build.ps1 Package for <_>' -ForEach 'win-x64', 'osx-arm64' {
    BeforeAll {
        $p = $platforms[$_]
        $manifestPath = Join-Path $p.Dir 'InitCfg.psd1'
    }

    It 'builds' {
        $buildExit | Should -Be 0 -Because $buildLog
        $manifestPath | Should -Exist
    }

    It 'ships every native library TorchSharp and SkiaSharp load there, with all they link against' {
        $closure = Get-LoadClosure $p
        $closure.Missing | Should -BeNullOrEmpty
        # libtorch itself, not only the roots.
        $closure.Loaded.Keys | Should -Contain ($(if ($_ -eq 'win-x64') { 'c10.dll' } else { 'libc10.dylib' }))
        $closure.Loaded.Keys | Should -Contain ($(if ($_ -eq 'win-x64') { 'libiomp5md.dll' } else { 'libomp.dylib' }))
        if ($_ -eq 'win-x64') { $closure.Prerequisites | Should -Contain 'MSVCP140.dll' } else { $closure.Prerequisites | Should -BeNullOrEmpty }
    }

    It 'ships nothing of another platform' {
        $all = Get-ChildItem -Path $p.Dir -Recurse -File
        $all | Where-Object Name -match $p.Foreign | Should -BeNullOrEmpty
        foreach ($file in $all | Where-Object Extension -in '.dll', '.so', '.dylib', '') {
            $image = Get-NativeImage $file.FullName
            if ($image.Managed) { continue }
            $image.Format | Should -Be $p.Format -Because $file.Name
            & $p.Arch $image.Architecture | Should -BeTrue -Because "$($file.Name) is $($image.Architecture)"
        }
        # The libstdc++ fix is for Linux only: TorchSharp's library for this platform is the package's, byte for byte.
        $lib = if ($_ -eq 'win-x64') { 'LibTorchSharp.dll' } else { 'libLibTorchSharp.dylib' }
        $cache = Get-NuGetPackagesFolder
        (Get-FileHash (Join-Path $p.Dir $lib)).Hash |
            Should -Be (Get-FileHash (Join-Path $cache "torchsharp/0.107.0/runtimes/$_/native/$lib")).Hash
    }

    It 'has a manifest that passes Test-ModuleManifest, lists exactly its files and is tagged for the platform' {
        $info = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
        $info.Name | Should -Be 'InitCfg'
        $data = Import-PowerShellDataFile $manifestPath
        $actual = Get-ChildItem -Path $p.Dir -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($p.Dir, $_.FullName) -replace '\\', '/' }
        @($data.FileList | Sort-Object) | Should -Be @($actual | Sort-Object)
        foreach ($f in @($data.RootModule) + $data.RequiredAssemblies + $data.FormatsToProcess) { $data.FileList | Should -Contain $f }
        foreach ($r in $p.Roots) { $data.FileList | Should -Contain $r }
        $tags = $data.PrivateData.PSData.Tags
        $tags | Should -Contain $p.Tag
        @('Windows', 'MacOS', 'Linux') | Where-Object { $_ -ne $p.Tag } | ForEach-Object { $tags | Should -Not -Contain $_ }
    }
}
