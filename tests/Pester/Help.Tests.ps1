BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
}

# Help for every exported cmdlet (built from module/help by tools/Build-Help.ps1), the about_InitCfg topic, and
# every example of every cmdlet, run as a user would paste it.

BeforeDiscovery {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    $cmdletCases = @((Get-Module InitCfg).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
    $exampleCases = foreach ($case in $cmdletCases) {
        $i = 0
        foreach ($example in @((Get-Help $case.Name -Full).examples.example)) {
            if (-not $example) { continue }
            $i++
            @{ Name = $case.Name; Index = $i; Title = ([string]$example.title).Trim(' -') }
        }
    }
}

Describe 'Help of <Name>' -ForEach $cmdletCases {

    BeforeAll {
        $help = Get-Help $Name -Full
        $text = $help | Out-String -Width 200
        $command = Get-Command $Name
        $parameters = @($command.Parameters.Values |
            Where-Object { $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters })
    }

    It 'comes from the help file, not auto-generated' {
        $help.GetType().Name | Should -Not -Be 'String'
        $text | Should -Not -Match 'Get-Help cannot find the Help files|partial help|auto-generated'
    }

    It 'has a synopsis that is not the syntax' {
        $synopsis = ([string]$help.Synopsis).Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -BeLike "$Name *"
        $synopsis | Should -Not -Match '\[<CommonParameters>\]|\[-\w+ <'
    }

    It 'has a description' {
        (@($help.description.Text) -join "`n").Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code and remarks' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            ([string]$example.code).Trim() | Should -Not -BeNullOrEmpty
            (@($example.remarks.Text) -join '').Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'describes every parameter' {
        $parameters.Count | Should -BeGreaterThan 0
        foreach ($p in $parameters) {
            $entry = @($help.parameters.parameter | Where-Object name -EQ $p.Name)
            $entry.Count | Should -Be 1 -Because "-$($p.Name) of $Name must be in the help"
            (@($entry[0].description.Text) -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$($p.Name) of $Name needs a description"
        }
    }

    It 'shows the parameter metadata of the cmdlet' {
        foreach ($p in $parameters) {
            $entry = @($help.parameters.parameter | Where-Object name -EQ $p.Name)[0]
            $sets = @($p.ParameterSets.Values)
            $entry.type.name | Should -Be ($p.ParameterType.FullName -replace '\+', '.') -Because "the type of -$($p.Name)"
            $required = -not ($sets | Where-Object { -not $_.IsMandatory })
            $entry.required | Should -Be $required.ToString().ToLowerInvariant() -Because "-$($p.Name) Required"
            $positions = @($sets | ForEach-Object Position | Sort-Object -Unique)
            $position = if ($positions.Count -eq 1 -and $positions[0] -ge 0) { [string]$positions[0] } else { 'named' }
            $entry.position | Should -Be $position -Because "-$($p.Name) Position"
            $byValue = [bool]($sets | Where-Object ValueFromPipeline)
            $entry.pipelineInput -like 'True*ByValue*' | Should -Be $byValue -Because "-$($p.Name) pipeline input"
            $entry.defaultValue | Should -Not -BeNullOrEmpty -Because "-$($p.Name) default value"
        }
    }

    It 'has one syntax item per parameter set' {
        @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
    }

    It 'names its inputs and outputs' {
        @($help.inputTypes.inputType).Count | Should -BeGreaterThan 0
        @($help.returnValues.returnValue).Count | Should -BeGreaterThan 0
        @($help.returnValues.returnValue | Where-Object { $_.type.name }).Count | Should -Be @($help.returnValues.returnValue).Count
    }

    It 'has notes and links to about_InitCfg' {
        (@($help.alertSet.alert.Text) -join '').Trim() | Should -Not -BeNullOrEmpty
        @($help.relatedLinks.navigationLink.linkText) | Should -Contain 'about_InitCfg'
    }
}

Describe 'about_InitCfg' {

    BeforeAll {
        $about = Get-Help about_InitCfg | Out-String
    }

    It 'is found by Get-Help' {
        $about | Should -Match 'about_InitCfg'
        $about | Should -Match 'SHORT DESCRIPTION'
    }

    It 'explains <Topic>' -ForEach @(
        @{ Topic = 'override'; Pattern = 'override' }
        @{ Topic = 'name-only overrides'; Pattern = 'only name' }
        @{ Topic = '_BatchNorm'; Pattern = '_BatchNorm +BatchNorm1d, BatchNorm2d, BatchNorm3d' }
        @{ Topic = '_ConvNd'; Pattern = '_ConvNd +Conv1d, Conv2d, Conv3d' }
        @{ Topic = 'direct bases only'; Pattern = 'DIRECT base classes' }
        @{ Topic = 'bias_prob'; Pattern = 'bias_prob' }
        @{ Topic = 'Pretrained last'; Pattern = 'Pretrained configs' }
        @{ Topic = 'the init records'; Pattern = 'The value is the same before and after' }
        @{ Topic = 'the differences from MMEngine'; Pattern = 'DIFFERENCES FROM MMENGINE' }
    ) {
        $about | Should -Match $Pattern
    }
}

Describe 'Examples' {

    BeforeAll {
        # Run every example once, in a separate PowerShell process (a job), each in a fresh scope made by
        # [scriptblock]::Create: examples register types and reseed generators, which must not leak into the other
        # test files of this run. Warnings are fine; any error, terminating or not, fails the example.
        $manifest = Join-Path (Get-Module InitCfg).ModuleBase 'InitCfg.psd1'
        $job = Start-Job -ArgumentList $manifest -ScriptBlock {
            param($Manifest)
            $ErrorActionPreference = 'Stop'
            $ProgressPreference = 'SilentlyContinue'
            Import-Module $Manifest
            foreach ($name in @((Get-Module InitCfg).ExportedCmdlets.Keys | Sort-Object)) {
                $i = 0
                foreach ($example in @((Get-Help $name -Full).examples.example)) {
                    if (-not $example) { continue }
                    $i++
                    $errorText = $null
                    $output = ''
                    try {
                        $block = [scriptblock]::Create([string]$example.code)
                        $output = & $block 3>$null 4>$null 6>$null 2>&1 | ForEach-Object {
                            if ($_ -is [System.Management.Automation.ErrorRecord]) { throw $_ }
                            $_
                        } | Out-String -Width 200
                    }
                    catch {
                        $errorText = "$($_.Exception.GetType().Name): $($_.Exception.Message)"
                    }
                    [pscustomobject]@{ Key = "$name#$i"; Error = $errorText; Output = $output }
                }
            }
        }
        $null = $job | Wait-Job -Timeout 900
        $results = @{}
        foreach ($r in @(Receive-Job $job -ErrorAction Continue)) { $results[$r.Key] = $r }
        Remove-Job $job -Force
    }

    It 'example <Index> of <Name> runs as written (<Title>)' -ForEach $exampleCases {
        $result = $results["$Name#$Index"]
        $result | Should -Not -BeNullOrEmpty -Because 'the example job must report every example'
        $result.Error | Should -BeNullOrEmpty -Because "the example must run as it is written; it printed:`n$($result.Output)"
    }
}
