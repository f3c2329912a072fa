# Tab completion as a user gets it: through TabExpansion2 (what PSReadLine and editors call on Tab), inside the
# config hashtables of -Config / -InitCfg / -InputObject / -Override, and on module paths.

BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    # Completion texts for the input with the cursor at its end.
    function Get-Completion([string]$InputScript) {
        $r = TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length
        @($r.CompletionMatches | ForEach-Object CompletionText)
    }

    $script:m = New-InitModel -Config @{ type = 'resnet18' }
}

Describe 'Completion' {

    Context 'type values inside config hashtables' {

        It 'New-InitModel -Config @{ type = <Tab> offers the module types' {
            $c = Get-Completion 'New-InitModel -Config @{ type = '
            $c | Should -Contain "'Conv2d'"
            $c | Should -Contain "'resnet18'"
            $c | Should -Contain "'Sequential'"
            $c | Should -Not -Contain "'Kaiming'"
        }

        It '-InitCfg @{ type = <Tab> offers the registered initializers, filtered by what is typed' {
            $c = Get-Completion 'Invoke-InitWeights -Model $m -InitCfg @{ type = '
            $c | Should -Contain "'Kaiming'"
            $c | Should -Contain "'Pretrained'"
            $c | Should -Not -Contain "'Conv2d'"
            Get-Completion 'Invoke-InitWeights -Model $m -InitCfg @{ type = Kai' | Should -Be @("'Kaiming'")
            Get-Completion "Get-InitPlan -Model `$m -InitCfg @{ type = 'Trunc" | Should -Be @("'TruncNormal'")
        }

        It 'replaces the word being typed, quotes included' {
            $in = "Invoke-InitWeights -Model `$m -InitCfg @{ type = 'Xav"
            $r = TabExpansion2 -inputScript $in -cursorColumn $in.Length
            $r.ReplacementIndex | Should -Be ($in.Length - 4)
            $r.ReplacementLength | Should -Be 4
        }

        It 'knows init_cfg inside a model config and override inside an init config' {
            Get-Completion "New-InitModel -Config @{ type = 'Conv2d'; init_cfg = @{ type = 'No" | Should -Be @("'Normal'")
            Get-Completion "New-InitModel @{ type = 'Sequential'; modules = @(@{ type = 'Lin" | Should -Be @("'Linear'")
            Get-Completion "New-InitModel @{ type = 'Module'; modules = [ordered]@{ a = @{ type = 'BatchNorm2" | Should -Be @("'BatchNorm2d'")
            Get-Completion "Invoke-InitWeights `$m -InitCfg @(@{ type = 'Normal'; layer = 'Conv2d' }, @{ type = 'Normal'; override = @{ type = 'Const" | Should -Be @("'Constant'")
        }

        It 'completes choices and layer names of initializer arguments' {
            Get-Completion "Invoke-InitWeights -InitCfg @{ type = 'Kaiming'; mode = " | Should -Be @("'fan_in'", "'fan_out'")
            Get-Completion "Invoke-InitWeights -InitCfg @{ type = 'Xavier'; distribution = 'u" | Should -Be @("'uniform'")
            Get-Completion "Invoke-InitWeights -InitCfg @{ type = 'Constant'; val = 1; layer = '_Bat" | Should -Be @("'_BatchNorm'")
        }
    }

    Context 'argument names inside config hashtables' {

        It 'offers the arguments of the chosen initializer, with layer and override, minus the keys already there' {
            $c = Get-Completion "Invoke-InitWeights -Model `$m -InitCfg @{ type = 'Kaiming'; "
            foreach ($k in 'a', 'mode', 'nonlinearity', 'distribution', 'bias', 'bias_prob', 'layer', 'override') { $c | Should -Contain $k }
            $c | Should -Not -Contain 'type'
            $c | Should -Not -Contain 'std'
            Get-Completion "Invoke-InitWeights -InitCfg @{ type = 'Normal'; s" | Should -Be @('std')
            Get-Completion "Invoke-InitWeights -InitCfg @{ type = 'Normal'; std = 0.01; s" | Should -BeNullOrEmpty
        }

        It 'offers name in an override and the constructor arguments of a module type' {
            Get-Completion "New-InitCfg -Override @{ n" | Should -Be @('name')
            Get-Completion "New-InitModel @{ type = 'Conv2d'; in" | Should -Be @('in_channels', 'init_cfg')
            Get-Completion "New-InitModel @{ type = 'Sequential'; m" | Should -Be @('modules')
        }
    }

    Context 'everything else' {

        It 'leaves other hashtables to PowerShell''s own completion' {
            Get-Completion 'Get-ChildItem | Select-Object -Property @{ ' | Should -Be @('Name', 'Expression')
        }

        It 'completes module paths of the model bound to -Model' {
            # Completion reads variables as the prompt does, from the global scope.
            $global:InitCfgCompletionModel = $m
            $c = Get-Completion 'Get-InitModule -Model $InitCfgCompletionModel -Path layer4.1.b'
            Remove-Variable -Name InitCfgCompletionModel -Scope Global
            $c | Should -Be @('layer4.1.bn1', 'layer4.1.bn2')
        }

        It 'chains to the TabExpansion2 it replaced and restores it when the module is removed' {
            $out = Invoke-FreshPwsh @'
Remove-Module InitCfg
function global:TabExpansion2 {
    param([string]$inputScript, [int]$cursorColumn)
    $r = [System.Collections.ObjectModel.Collection[System.Management.Automation.CompletionResult]]::new()
    $r.Add([System.Management.Automation.CompletionResult]::new('from-previous'))
    [System.Management.Automation.CommandCompletion]::new($r, -1, 0, 0)
}
Import-Module $InitCfgModule
"other: " + (TabExpansion2 'Get-Item x' 10).CompletionMatches[0].CompletionText
$in = 'New-InitModel -Config @{ type = ''resnet1'
"ours: " + ((TabExpansion2 $in $in.Length).CompletionMatches.CompletionText -join ',')
Remove-Module InitCfg
"after removal: " + (TabExpansion2 $in $in.Length).CompletionMatches[0].CompletionText
'@
            $out | Should -Match '(?m)^other: from-previous\s*$'
            $out | Should -Match "(?m)^ours: .*'resnet18'.*$"
            $out | Should -Match "(?m)^ours: .*'resnet152'.*$"
            $out | Should -Match '(?m)^after removal: from-previous\s*$'
        }

        It 'installs its TabExpansion2 wrapper without auto-loading another module' {
            # Set-Item would auto-load Microsoft.PowerShell.Management on import: ~0.2 s of CPU in every cold start.
            $out = Invoke-FreshPwsh '"modules: " + ((Get-Module).Name -join ",")'
            $out | Should -Match '(?m)^modules: .*InitCfg'
            $out | Should -Not -Match 'Microsoft\.PowerShell\.Management'
        }
    }
}
