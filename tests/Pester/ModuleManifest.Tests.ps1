# Module quality as a gallery user sees it: the manifest is valid, its release notes name every cmdlet, and no cmdlet
# advertises online help that does not exist (no HelpUri, no online link in the MAML).
BeforeAll {
    if (-not $env:INITCFG_MODULE) { $env:INITCFG_MODULE = (Resolve-Path "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1").Path }
    $script:module = Import-Module $env:INITCFG_MODULE -Force -PassThru
    $script:data = Import-PowerShellDataFile $env:INITCFG_MODULE
}

Describe 'InitCfg.psd1' {
    It 'passes Test-ModuleManifest' {
        $info = Test-ModuleManifest -Path $env:INITCFG_MODULE -ErrorAction Stop
        $info.Name | Should -Be 'InitCfg'
        $info.ExportedCmdlets.Keys | Sort-Object | Should -Be ($data.CmdletsToExport | Sort-Object)
    }

    It 'names every exported cmdlet in ReleaseNotes' {
        $notes = $data.PrivateData.PSData.ReleaseNotes
        foreach ($cmdlet in $data.CmdletsToExport) { $notes | Should -Match "\b$([regex]::Escape($cmdlet))\b" }
    }

    It 'exports exactly the cmdlets the module defines' {
        $module.ExportedCmdlets.Keys | Sort-Object | Should -Be ($data.CmdletsToExport | Sort-Object)
    }
}

Describe 'Online help' {
    It '<_> advertises no online help' -ForEach @((Import-PowerShellDataFile $(if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" })).CmdletsToExport) {
        (Get-Command $_).HelpUri | Should -BeNullOrEmpty
        $links = @((Get-Help $_ -Full).relatedLinks.navigationLink | Where-Object { $_ -and $_.uri })
        $links | Should -BeNullOrEmpty
        { Get-Help $_ -Online -ErrorAction Stop } | Should -Throw
    }
}
