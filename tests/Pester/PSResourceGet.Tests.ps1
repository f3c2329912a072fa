# The module as people install it: build.ps1 Package makes the linux-x64 package; offline, a local folder repository
# receives it (Publish-PSResource) and Install-PSResource installs it into a temporary CurrentUser scope
# (HOME points the user's module path and PSResourceGet's repository list at a temp folder, so nothing of the real
# user changes); a fresh pwsh then imports InitCfg by name and runs the demo.
BeforeAll {
    $script:root = (Resolve-Path "$PSScriptRoot/../..").Path
    Push-Location $root
    try { $script:buildLog = & dotnet pwsh -NoProfile -NonInteractive -File build.ps1 Package -Runtime linux-x64 2>&1 | Out-String; $script:buildExit = $LASTEXITCODE }
    finally { Pop-Location }
    $script:nupkg = @(Get-ChildItem -Path (Join-Path $root 'out/packages/linux-x64') -Filter 'InitCfg.*.nupkg' -ErrorAction SilentlyContinue)
    $script:version = (Import-PowerShellDataFile (Join-Path $root 'out/platforms/linux-x64/InitCfg/InitCfg.psd1')).ModuleVersion

    $script:work = Join-Path ([IO.Path]::GetTempPath()) ('initcfg-psrg-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $script:repo = Join-Path $work 'repo'
    $script:data = Join-Path $work 'home'
    # This very pwsh (the local dotnet tool), started directly: `dotnet pwsh` looks for the tool manifest state under HOME.
    $script:pwsh = @([Environment]::ProcessPath) + @(if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $null = New-Item -ItemType Directory -Force -Path $repo, $data

    # Runs a script in a fresh pwsh whose home folder is $data; returns its output and exit code.
    function Invoke-Isolated([string]$Script) {
        $saved = $env:HOME, $env:XDG_DATA_HOME, $env:XDG_CONFIG_HOME, $env:PSModulePath, $env:INITCFG_MODULE
        try {
            $env:HOME = $data
            $env:XDG_DATA_HOME = $env:XDG_CONFIG_HOME = $env:PSModulePath = $null
            $env:INITCFG_MODULE = 'InitCfg'   # examples/demo.ps1 then imports the module by name
            $exe = $pwsh[0]; $rest = @($pwsh | Select-Object -Skip 1)
            $out = & $exe @rest -NoProfile -NonInteractive -Command $Script 2>&1 | Out-String
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $out }
        }
        finally { $env:HOME, $env:XDG_DATA_HOME, $env:XDG_CONFIG_HOME, $env:PSModulePath, $env:INITCFG_MODULE = $saved }
    }

    Push-Location $root
    try {
        $script:install = Invoke-Isolated @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Register-PSResourceRepository -Name InitCfgLocal -Uri '$repo' -Trusted
Publish-PSResource -NupkgPath '$($nupkg[0].FullName)' -Repository InitCfgLocal
Install-PSResource -Name InitCfg -Repository InitCfgLocal -Scope CurrentUser -TrustRepository -Quiet
Get-InstalledPSResource -Name InitCfg -Scope CurrentUser | ForEach-Object { 'installed ' + `$_.Name + ' ' + `$_.Version + ' at ' + `$_.InstalledLocation }
"@
        $script:demo = Invoke-Isolated @"
`$ErrorActionPreference = 'Stop'
Import-Module InitCfg
'module base: ' + (Get-Module InitCfg).ModuleBase
& '$root/examples/demo.ps1'
"@
    }
    finally { Pop-Location }
}

AfterAll {
    if ($work -and (Test-Path $work)) { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'build.ps1 Package and PSResourceGet' {
    It 'makes one InitCfg package for linux-x64' {
        $buildExit | Should -Be 0 -Because $buildLog
        $nupkg.Count | Should -Be 1
        $nupkg[0].Name | Should -Be "InitCfg.$version.nupkg"
    }

    It 'publishes it to a local repository and installs it with Install-PSResource, offline' {
        $install.ExitCode | Should -Be 0 -Because $install.Output
        $install.Output | Should -Match "installed InitCfg $([regex]::Escape($version)) at "
        Get-ChildItem -Path $repo -Filter 'InitCfg.*.nupkg' | Should -Not -BeNullOrEmpty
        $installed = Join-Path $data ".local/share/powershell/Modules/InitCfg/$version/InitCfg.psd1"
        $installed | Should -Exist
        Test-ModuleManifest -Path $installed -ErrorAction Stop | Select-Object -ExpandProperty Name | Should -Be 'InitCfg'
    }

    It 'imports by name in a fresh pwsh and runs the demo' {
        $demo.ExitCode | Should -Be 0 -Because $demo.Output
        $demo.Output | Should -Match ([regex]::Escape("module base: $data"))
        $demo.Output | Should -Match 'bbox_head\.retina_cls\.bias'
        $demo.Output | Should -Match 'KaimingInit: a=0, mode=fan_out'
    }
}
