BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
}

Describe 'Get-InitPlan' {

    Context 'Steps' {

        It 'plans each config as Invoke-InitWeights would run it, and changes nothing' {
            $m = New-ToyNet
            $before = Get-ModelFingerprint $m
            $plan = @(Get-InitPlan -Model $m -InitCfg @{ type = 'Kaiming'; layer = 'Conv2d' })
            $plan.Count | Should -Be 1
            $plan[0].Action | Should -Be 'Initialize'
            $plan[0].Parameters | Should -Be @('conv.weight', 'conv.bias')
            Get-ModelFingerprint $m | Should -Be $before
            (Get-InitModule $m -Depth 0).Initialized | Should -BeFalse
        }
    }

    Context 'An initialized model' {

        BeforeAll {
            $script:done = New-ToyNet
            Invoke-InitWeights $done -InitCfg @{ type = 'Kaiming'; layer = 'Conv2d' }
        }

        It 'says what a call would do: change nothing, unless -Force' {
            $plan = @(Get-InitPlan -Model $done -InitCfg @{ type = 'Constant'; val = 1; layer = 'GroupNorm' })
            $plan.Count | Should -Be 1
            $plan[0].Action | Should -Be 'Warning'
            $plan[0].WarningId | Should -Be 'AlreadyInitialized'
            $plan[0].Message | Should -Match 'would change nothing; use -Force'
            $plan[0].Message | Should -Not -Match 'nothing was changed'
            ($plan | Format-Table | Out-String -Width 200) | Should -Match 'would change nothing; use -Force'
        }

        It 'plans the steps again with -Force' {
            $plan = @(Get-InitPlan -Model $done -InitCfg @{ type = 'Constant'; val = 1; layer = 'Linear' } -Force)
            $plan.Action | Should -Be @('Initialize')
        }
    }
}
