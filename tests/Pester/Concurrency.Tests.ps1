# Seeds that reproduce in parallel, script-block initializers across runspaces, stops that undo the run.

BeforeAll {
    $script:modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    $script:modulePath = (Resolve-Path $modulePath).Path
    $script:helpersPath = (Resolve-Path "$PSScriptRoot/TestHelpers.psm1").Path
    Import-Module $modulePath -Force
    Import-Module $helpersPath -Force

    # Fingerprint of weights, buffers and report: equal means nothing changed.
    function Get-FullState($Model) {
        $buffers = ($Model.named_buffers() | ForEach-Object { '{0}={1}' -f $_.Item1, $_.Item2.to([TorchSharp.torch+ScalarType]::Float64).sum().item[double]() }) -join "`n"
        (Get-ModelFingerprint $Model) + "`n" + $buffers + "`n" + (Get-ReportFingerprint $Model) + "`n" + (@(Get-InitReport $Model -LoadReport).Count)
    }

    # Runs $Script in a new runspace, waits until it sets the event it is given, then stops it as Ctrl+C does.
    function Stop-WhenSignalled([scriptblock]$Script, [object[]]$Arguments) {
        $evt = [Threading.ManualResetEventSlim]::new($false)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$modulePath'").AddStatement().AddScript($Script.ToString())
            foreach ($a in $Arguments) { $null = $ps.AddArgument($a) }
            $null = $ps.AddArgument($evt)
            $async = $ps.BeginInvoke()
            $evt.Wait([TimeSpan]::FromSeconds(60)) | Should -BeTrue -Because 'the run reaches the script block'
            $ps.Stop()
            try { $null = $ps.EndInvoke($async) } catch { $_.Exception.GetType().Name }
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Seeds and runspaces' {

    It 'builds with -Seed in eight runspaces exactly as one after another, by SHA-256 per tensor (3 rounds, unseeded builds alongside)' {
        $yaml = (Resolve-Path "$PSScriptRoot/../../examples/retinanet_like.yaml").Path
        $serial = 1..8 | ForEach-Object { Get-ModelFingerprint (New-InitModel -Config $yaml -Seed $_) }
        @($serial | Select-Object -Unique).Count | Should -Be 8
        foreach ($round in 1..3) {
            $parallel = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:modulePath
                Import-Module $using:helpersPath
                $null = New-InitModel -Config $using:yaml # an unseeded build in between must not shift the seeded one
                [pscustomobject]@{ Seed = $_; Fingerprint = Get-ModelFingerprint (New-InitModel -Config $using:yaml -Seed $_) }
            }
            foreach ($s in 1..8) {
                ($parallel | Where-Object Seed -EQ $s).Fingerprint | Should -Be $serial[$s - 1] -Because "seed $s, round $round"
            }
        }
    }

    It 'initializes with a shared script-block initializer in eight runspaces exactly as serially' {
        $type = 'ParUniform' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Register-InitInitializer -Type $type -Arguments @{ scale = 0.5 } -ScriptBlock {
            param($Module, $Weight, $Arguments, $Generator)
            $values = $Weight.uniform_(-$Arguments.scale, $Arguments.scale, $Generator)
            $local = $Weight.sum().item[float]() # runspace-local state the script block reads back
            if ($local -ne $values.sum().item[float]()) { throw 'another runspace wrote this weight' }
        }
        $run = {
            param($Seed, $Type)
            $m = New-InitModel -Config (New-ToyNetConfig) -Seed $Seed
            Invoke-InitWeights $m -InitCfg @{ type = $Type; scale = 0.25; layer = @('Conv2d', 'Linear') }, @{ type = 'Constant'; val = 2; layer = 'BatchNorm2d' } -Seed ($Seed + 100)
            [pscustomobject]@{
                Seed        = $Seed
                Fingerprint = Get-ModelFingerprint $m
                Info        = (Get-InitReport $m | Where-Object Name -EQ 'fc.weight').InitInfo
            }
        }
        $serial = 1..8 | ForEach-Object { & $run $_ $type }
        $runText = $run.ToString()
        $parallel = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:modulePath
            Import-Module $using:helpersPath
            & ([scriptblock]::Create($using:runText)) $_ $using:type
        }
        @($serial.Fingerprint | Select-Object -Unique).Count | Should -Be 8
        foreach ($s in $serial) {
            $p = $parallel | Where-Object Seed -EQ $s.Seed
            $p.Fingerprint | Should -Be $s.Fingerprint -Because "seed $($s.Seed)"
            $p.Info | Should -BeExactly "${type}Init: scale=0.25, bias=0"
        }
    }

    It 'uses a type registered inside a -Parallel runspace after that runspace has closed' {
        $type = 'Closed' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $type | ForEach-Object -Parallel {
            Import-Module $using:modulePath
            Register-InitInitializer -Type $_ -ScriptBlock { param($Module, $Weight) $null = $Weight.fill_([TorchSharp.Scalar]3) }
        }
        [GC]::Collect(); [GC]::WaitForPendingFinalizers()
        $m = New-ToyNet
        Invoke-InitWeights $m -InitCfg @{ type = $type; layer = 'Linear' }
        (Get-InitReport $m | Where-Object Name -EQ 'fc.weight').Max | Should -Be 3
    }

    It 'warns once, with the count, when -Seed runs on a model built without a seed; Get-InitReport -Summary shows it' {
        $m = New-InitModel -Config (New-ToyNetConfig)
        Invoke-InitWeights $m -InitCfg @{ type = 'Kaiming'; layer = 'Conv2d' } -Seed 1 -WarningVariable w -WarningAction SilentlyContinue
        @($w).Count | Should -Be 1
        "$w" | Should -Match '^4 parameter tensor\(s\) no init_cfg writes keep the values their constructors drew in an unseeded build'
        $row = Get-InitReport $m -Summary | Where-Object Initializer -EQ '(none: unseeded constructor values)'
        $row.Tensors | Should -Be 4

        $seeded = New-InitModel -Config (New-ToyNetConfig) -Seed 3
        Invoke-InitWeights $seeded -InitCfg @{ type = 'Kaiming'; layer = 'Conv2d' } -Seed 1 -WarningVariable w2
        $w2 | Should -BeNullOrEmpty
        (Get-InitReport $seeded -Summary).Initializer | Should -Contain '(none)'
    }

    It 'leaves the global generator as it was: a seeded build does not reseed the process' {
        [TorchSharp.torch+random]::manual_seed(5) | Out-Null
        $expected = [TorchSharp.torch]::rand(4).sum().item[float]()
        [TorchSharp.torch+random]::manual_seed(5) | Out-Null
        $null = New-InitModel -Config (New-ToyNetConfig) -Seed 9
        [TorchSharp.torch]::rand(4).sum().item[float]() | Should -Be $expected
    }
}

Describe 'Stops undo the run' {

    It 'Ctrl+C inside a script-block initializer leaves weights, report and marks as before' {
        $type = 'Slow' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Register-InitInitializer -Type $type -ScriptBlock {
            param($Module, $Weight)
            $null = $Weight.fill_([TorchSharp.Scalar]9)
            $global:initcfgSignal.Set()
            Start-Sleep -Seconds 60
        }
        $m = New-ToyNet
        Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Linear' }
        $before = Get-FullState $m
        Stop-WhenSignalled {
            param($Model, $Type, $Signal)
            $global:initcfgSignal = $Signal
            Invoke-InitWeights $Model -InitCfg @{ type = 'Constant'; val = 4; layer = 'BatchNorm2d' }, @{ type = $Type; layer = 'Conv2d' } -Force
        } $m, $type
        Get-FullState $m | Should -Be $before
        (Get-InitReport $m | Where-Object Name -EQ 'fc.weight').InitInfo | Should -BeExactly 'ConstantInit: val=1, bias=0'
    }

    It 'Ctrl+C after a Pretrained load leaves the weights, the load report and the marks as before' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $dir
        try {
            $ckpt = Join-Path $dir 'conv.safetensors'
            $src = New-InitModel @{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3 } -Seed 42
            Export-InitWeights $src $ckpt
            $type = 'After' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            # Waits only where the stopping runspace set the signal (script blocks run in the calling runspace).
            Register-InitInitializer -Type $type -ScriptBlock { param($Module, $Weight) if ($global:initcfgSignal) { $global:initcfgSignal.Set(); Start-Sleep -Seconds 60 } }
            $cfg = New-ToyNetConfig
            $cfg.modules.conv.init_cfg = @{ type = 'Pretrained'; checkpoint = $ckpt }
            $cfg.modules.fc.init_cfg = @{ type = $type; layer = 'Linear' }
            $m = New-InitModel $cfg -Seed 1
            $before = Get-FullState $m
            Stop-WhenSignalled { param($Model, $Signal) $global:initcfgSignal = $Signal; Invoke-InitWeights $Model } $m
            Get-FullState $m | Should -Be $before
            @(Get-InitReport $m -LoadReport).Count | Should -Be 0
            # Not marked initialized: the next run is a whole run, no -Force needed.
            Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Linear' } -WarningVariable w -WarningAction SilentlyContinue
            @($w | Where-Object { "$_" -match 'more than once' }).Count | Should -Be 0
        }
        finally { Remove-Item -Recurse -Force $dir }
    }

    It 'a failing -Force run keeps the marks and the root init_cfg of the previous run' {
        $m = New-ToyNet
        Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Linear' }
        $before = Get-FullState $m
        $type = 'Fails' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Register-InitInitializer -Type $type -ScriptBlock { param($Module, $Weight) $null = $Weight.fill_([TorchSharp.Scalar]5); throw 'boom' }
        { Invoke-InitWeights $m -InitCfg @{ type = $type; layer = 'Conv2d' } -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'UserInitFailed,InitCfg.Cmdlets.InvokeInitWeightsCommand'
        Get-FullState $m | Should -Be $before
        # Still initialized with the old config: a call without -Force changes nothing and says so.
        Invoke-InitWeights $m -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -Match 'more than once'
        Get-FullState $m | Should -Be $before
    }
}

Describe 'One lock per model; disposed models' {

    It 'exports a model another runspace keeps initializing as one whole run every time, never a mix' {
        $m = New-InitModel @{ type = 'Sequential'; modules = @(1..24 | ForEach-Object { @{ type = 'Linear'; in_features = 256; out_features = 256 } }) } -Seed 0
        Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 2; bias = 2; layer = 'Linear' }
        $dir = Join-Path $TestDrive 'mix'
        $null = New-Item -ItemType Directory $dir
        $writer = [powershell]::Create()
        $null = $writer.AddScript({
            param($Module, $Model)
            Import-Module $Module
            for ($i = 0; $i -lt 40; $i++) {
                Invoke-InitWeights $Model -InitCfg @{ type = 'Constant'; val = ($i % 2) + 1; bias = ($i % 2) + 1; layer = 'Linear' } -Force -WarningAction SilentlyContinue
            }
        }).AddArgument($modulePath).AddArgument($m)
        $async = $writer.BeginInvoke()
        try {
            $n = 0
            while (-not $async.IsCompleted -and $n -lt 30) {
                $file = Join-Path $dir "w$n.safetensors"
                Export-InitWeights $m $file
                $state = [InitCfg.Core.Checkpoints.CheckpointFile]::Read($file)
                try {
                    $values = @($state.Items | ForEach-Object { $_.Value.max().item[float](); $_.Value.min().item[float]() } | Select-Object -Unique)
                    $values.Count | Should -Be 1 -Because "export $n holds one run's values, not $($values -join ', ')"
                }
                finally { $state.Dispose() }
                $n++
            }
        }
        finally {
            $writer.EndInvoke($async)
            $writer.Dispose()
        }
    }

    It 'refuses a disposed model in every cmdlet, and writes nothing over an existing file' {
        $m = New-ToyNet
        $target = Join-Path $TestDrive 'keep.safetensors'
        Export-InitWeights (New-ToyNet) $target
        $hash = (Get-FileHash $target).Hash
        $m.Dispose()
        { Get-InitReport $m -ErrorAction Stop } | Should -Throw -ErrorId 'ModelDisposed,InitCfg.Cmdlets.GetInitReportCommand'
        { Export-InitWeights $m $target -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ModelDisposed,InitCfg.Cmdlets.ExportInitWeightsCommand'
        { Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Linear' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'ModelDisposed,InitCfg.Cmdlets.InvokeInitWeightsCommand'
        (Get-FileHash $target).Hash | Should -Be $hash
    }

    It 'a script block that disposes or replaces $Module.weight is UserInitFailed, and the model is restored and exports whole' {
        $type = 'Evil' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Register-InitInitializer -Type $type -ScriptBlock { param($Module, $Weight) $Weight.Dispose() }
        $m = New-ToyNet
        $before = Get-ModelFingerprint $m
        { Invoke-InitWeights $m -InitCfg @{ type = $type; layer = 'Linear' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'UserInitFailed,InitCfg.Cmdlets.InvokeInitWeightsCommand'
        Get-ModelFingerprint $m | Should -Be $before
        $file = Join-Path $TestDrive 'whole.safetensors'
        Export-InitWeights $m $file
        $state = [InitCfg.Core.Checkpoints.CheckpointFile]::Read($file)
        try { @($state.Items).Key | Should -Contain 'fc.weight' } finally { $state.Dispose() }

        Register-InitInitializer -Type $type -Force -ScriptBlock {
            param($Module, $Weight)
            $Module.weight = [TorchSharp.Modules.Parameter]::new([TorchSharp.torch]::zeros(4, 8), $true)
        }
        { Invoke-InitWeights $m -InitCfg @{ type = $type; layer = 'Linear' } -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'UserInitFailed,InitCfg.Cmdlets.InvokeInitWeightsCommand'
        Get-ModelFingerprint $m | Should -Be $before
    }

    It 'a script block that reads its own model through a cmdlet gets ModelBusy, not a deadlock' {
        $type = 'Peek' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Register-InitInitializer -Type $type -ScriptBlock { param($Module, $Weight) $null = Get-InitReport $global:initcfgPeek -ErrorAction Stop }
        $global:initcfgPeek = New-ToyNet
        try {
            { Invoke-InitWeights $global:initcfgPeek -InitCfg @{ type = $type; layer = 'Linear' } -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*in use by the call that is running this code*'
        }
        finally { Remove-Variable initcfgPeek -Scope Global }
    }
}

Describe 'Endless configs and models are errors, not a crashed pwsh' {

    BeforeAll {
        # Runs $Script in a child pwsh (a stack overflow would kill this one); returns its exit code and output.
        function Invoke-Child([string]$Script) {
            $exe = [Environment]::ProcessPath
            $command = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @($exe, (Join-Path $PSHOME 'pwsh.dll')) } else { @($exe) }
            $file = Join-Path $TestDrive ("child-{0}.ps1" -f [guid]::NewGuid().ToString('N'))
            Set-Content -LiteralPath $file -Value ("Import-Module '$modulePath'`n" + $Script)
            $rest = @($command | Select-Object -Skip 1)
            $out = & $command[0] @rest -NoProfile -NonInteractive -File $file 2>&1 | Out-String
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $out }
        }
    }

    It 'refuses a hashtable that contains itself in <Cmdlet>' -ForEach @(
        @{ Cmdlet = 'Invoke-InitWeights'; Line = 'Invoke-InitWeights (New-InitModel @{ type = ''Linear''; in_features = 2; out_features = 2 }) -InitCfg $h'; Id = 'ConfigTooLarge,InitCfg.Cmdlets.InvokeInitWeightsCommand' }
        @{ Cmdlet = 'New-InitModel'; Line = 'New-InitModel $h'; Id = 'ConfigTooLarge,InitCfg.Cmdlets.NewInitModelCommand' }
    ) {
        $r = Invoke-Child @"
`$h = @{ type = 'Constant'; val = 1 }
`$h.layer = `$h
try { $Line -ErrorAction Stop; 'no error' } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }
"@
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match ([regex]::Escape($Id))
        $r.Output | Should -Match 'contains itself'
    }

    It 'refuses a 200,000-deep hashtable config' {
        $r = Invoke-Child @'
$h = @{ type = 'Constant'; val = 1; layer = 'Linear' }
for ($i = 0; $i -lt 200000; $i++) { $h = @{ type = 'Constant'; val = 1; layer = 'Linear'; override = $h } }
try { Invoke-InitWeights (New-InitModel @{ type = 'Linear'; in_features = 2; out_features = 2 }) -InitCfg $h -ErrorAction Stop; 'no error' }
catch { $_.FullyQualifiedErrorId; $_.Exception.Message }
'@
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'ConfigTooLarge,InitCfg.Cmdlets.InvokeInitWeightsCommand'
        $r.Output | Should -Match 'deeper than 100 levels'
    }

    It 'refuses a module registered as its own child in every cmdlet, naming the path' {
        $r = Invoke-Child @'
$m = New-InitModel @{ type = 'Module'; class_name = 'Net'; modules = [ordered]@{ fc = @{ type = 'Linear'; in_features = 2; out_features = 2 } } }
$m.register_module('again', $m)
foreach ($call in { Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Linear' } -ErrorAction Stop },
                  { Get-InitReport $m -ErrorAction Stop },
                  { Get-InitPlan $m -ErrorAction Stop },
                  { Export-InitWeights $m (Join-Path ([IO.Path]::GetTempPath()) 'never.safetensors') -ErrorAction Stop }) {
    try { & $call; 'no error' } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }
}
'@
        $r.ExitCode | Should -Be 0 -Because $r.Output
        foreach ($id in 'InvokeInitWeightsCommand', 'GetInitReportCommand', 'GetInitPlanCommand', 'ExportInitWeightsCommand') {
            $r.Output | Should -Match "ModelCycle,InitCfg.Cmdlets.$id"
        }
        $r.Output | Should -Match "module 'again' of Net is the model itself"
        $r.Output | Should -Not -Match 'no error'
    }
}
