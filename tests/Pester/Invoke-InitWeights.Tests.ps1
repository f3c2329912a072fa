BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    function Get-Record($Model, [string]$Name) { Get-InitReport $Model | Where-Object Name -EQ $Name }

    # Fingerprint of the weights and of the report (InitInfo included): equal means nothing changed.
    function Get-State($Model) { (Get-ModelFingerprint $Model) + "`n" + (Get-ReportFingerprint $Model) }

    $script:kaimingBn = @(
        @{ type = 'Kaiming'; layer = 'Conv2d' }
        @{ type = 'Constant'; val = 1; layer = '_BatchNorm' }
    )
}

Describe 'Invoke-InitWeights' {

    Context 'Config sources' {

        It 'takes a hashtable' {
            $m = New-ToyNet
            Invoke-InitWeights -Model $m -InitCfg @{ type = 'Constant'; val = 2; bias = 1; layer = 'Conv2d' }
            $w = Get-Record $m 'conv.weight'
            $w.InitInfo | Should -BeExactly 'ConstantInit: val=2, bias=1'
            $w.Min | Should -Be 2
            $w.Max | Should -Be 2
            (Get-Record $m 'conv.bias').Mean | Should -Be 1
        }

        It 'takes a list of hashtables' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg $kaimingBn -Seed 0
            (Get-Record $m 'conv.weight').Initializer | Should -Be 'Kaiming'
            (Get-Record $m 'bn.weight').InitInfo | Should -BeExactly 'ConstantInit: val=1, bias=0'
            (Get-Record $m 'fc.weight').Written | Should -BeFalse
        }

        It 'takes InitConfig objects' {
            $m = New-ToyNet
            $cfg = @(New-InitCfg -Type Kaiming -Layer Conv2d | New-InitCfg -Type Constant -Val 1 -Layer _BatchNorm)
            Invoke-InitWeights $m -InitCfg $cfg -Seed 0
            (Get-Record $m 'conv.weight').Initializer | Should -Be 'Kaiming'
            (Get-Record $m 'bn.weight').Initializer | Should -Be 'Constant'
        }

        It 'takes InitConfig objects from the pipeline' {
            $m = New-ToyNet
            New-InitCfg -Type Kaiming -Layer Conv2d | New-InitCfg -Type Constant -Val 1 -Layer _BatchNorm | Invoke-InitWeights -Model $m -Seed 0
            (Get-Record $m 'conv.weight').Initializer | Should -Be 'Kaiming'
            (Get-Record $m 'bn.weight').Initializer | Should -Be 'Constant'
        }

        It 'takes hashtables from the pipeline, in order (the last writer wins)' {
            $m = New-ToyNet
            @{ type = 'Constant'; val = 1; layer = 'Conv2d' }, @{ type = 'Constant'; val = 3; layer = 'Conv2d' } | Invoke-InitWeights -Model $m
            (Get-Record $m 'conv.weight').InitInfo | Should -BeExactly 'ConstantInit: val=3, bias=0'
        }

        It 'mixes InitConfig objects and hashtables in one -InitCfg' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg (New-InitCfg -Type Constant -Val 3 -Layer Linear), @{ type = 'Constant'; val = 5; layer = 'Conv2d' }
            (Get-Record $m 'fc.weight').Max | Should -Be 3
            (Get-Record $m 'conv.weight').Max | Should -Be 5
        }

        It 'matches config keys case- and underscore-insensitively' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg @{ Type = 'Normal'; Std = 0.01; BiasProb = 0.01; Layer = 'Conv2d' } -Seed 0
            (Get-Record $m 'conv.bias').InitInfo | Should -BeExactly 'NormalInit: mean=0, std=0.01, bias=-4.59511985013459'
        }

        It 'uses the model''s own init_cfg (from New-InitModel) when -InitCfg is not given' {
            $m = New-ToyNet -InitCfg @{ type = 'Constant'; val = 4; layer = 'Linear' }
            Invoke-InitWeights $m
            (Get-Record $m 'fc.weight').InitInfo | Should -BeExactly 'ConstantInit: val=4, bias=0'
        }

        It '-InitCfg becomes the top-level config, replacing the one from New-InitModel' {
            $m = New-ToyNet -InitCfg @{ type = 'Constant'; val = 4; layer = 'Linear' }
            Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Conv2d' }
            (Get-Record $m 'conv.weight').InitInfo | Should -BeExactly 'ConstantInit: val=1, bias=0'
            (Get-Record $m 'fc.weight').Written | Should -BeFalse
        }

        It 'configs on submodules keep priority over -InitCfg (the child wins)' {
            $cfg = New-ToyNetConfig
            $cfg.modules.conv.init_cfg = @{ type = 'Constant'; val = 2; layer = 'Conv2d' }
            $m = New-InitModel $cfg
            Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = @('Conv2d', 'Linear') }
            $conv = Get-Record $m 'conv.weight'
            $conv.InitInfo | Should -BeExactly 'ConstantInit: val=2, bias=0'
            $conv.Max | Should -Be 2
            $conv.ModulePath | Should -Be 'conv'
            (Get-Record $m 'fc.weight').Max | Should -Be 1
        }
    }

    Context '-Seed' {

        It 'the same seed on two identically built models gives identical results' {
            $a = New-ToyNet -Seed 1
            $b = New-ToyNet -Seed 1
            Invoke-InitWeights $a -InitCfg $kaimingBn -Seed 42
            Invoke-InitWeights $b -InitCfg $kaimingBn -Seed 42
            $ra = Get-Record $a 'conv.weight'
            $rb = Get-Record $b 'conv.weight'
            $rb.Mean | Should -Be $ra.Mean
            $rb.Std | Should -Be $ra.Std
            $rb.Min | Should -Be $ra.Min
            $rb.Max | Should -Be $ra.Max
            Get-ReportFingerprint $b | Should -Be (Get-ReportFingerprint $a)
            Get-ModelFingerprint $b | Should -Be (Get-ModelFingerprint $a)
        }

        It 'a different seed gives different values' {
            $a = New-ToyNet -Seed 1
            $b = New-ToyNet -Seed 1
            Invoke-InitWeights $a -InitCfg $kaimingBn -Seed 1
            Invoke-InitWeights $b -InitCfg $kaimingBn -Seed 2
            (Get-Record $b 'conv.weight').Mean | Should -Not -Be (Get-Record $a 'conv.weight').Mean
            (Get-Record $b 'conv.weight').Std | Should -Not -Be (Get-Record $a 'conv.weight').Std
        }

        It 'draws from its own generator, independent of the build seed' {
            $a = New-ToyNet -Seed 1
            $b = New-ToyNet -Seed 99
            Invoke-InitWeights $a -InitCfg $kaimingBn -Seed 5
            Invoke-InitWeights $b -InitCfg $kaimingBn -Seed 5
            Get-TensorSha256 (Get-NamedParameter $b 'conv.weight') | Should -Be (Get-TensorSha256 (Get-NamedParameter $a 'conv.weight'))
        }
    }

    Context 'ShouldProcess, -PassThru, repeated calls' {

        It 'writes nothing without -PassThru' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg $kaimingBn | Should -BeNullOrEmpty
        }

        It '-PassThru returns the model itself' {
            $m = New-ToyNet
            $out = Invoke-InitWeights $m -InitCfg $kaimingBn -PassThru
            @($out).Count | Should -Be 1
            [object]::ReferenceEquals($out, $m) | Should -BeTrue
        }

        It '-WhatIf changes nothing and prints a What if line' {
            $m = New-ToyNet
            $before = Get-State $m
            $text = Invoke-WithHostCapture -Directory $TestDrive -ScriptBlock { Invoke-InitWeights $m -InitCfg $kaimingBn -Seed 0 -WhatIf }
            $text | Should -Match 'What if: .*Initialize with KaimingInit'
            $text | Should -Match 'ToyNet'
            Get-State $m | Should -Be $before
        }

        It '-WhatIf does not mark the model initialized' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg $kaimingBn -WhatIf
            Invoke-InitWeights $m -InitCfg $kaimingBn -WarningVariable w
            $w | Should -BeNullOrEmpty
            (Get-Record $m 'conv.weight').Initializer | Should -Be 'Kaiming'
        }

        It '-WhatIf:$false initializes (as when a function forwards -WhatIf:$WhatIfPreference)' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg $kaimingBn -WhatIf:$false
            (Get-Record $m 'bn.weight').Initializer | Should -Be 'Constant'
            function Initialize-Forwarding { [CmdletBinding(SupportsShouldProcess)] param($Model, $Cfg) Invoke-InitWeights $Model -InitCfg $Cfg -WhatIf:$WhatIfPreference }
            $m2 = New-ToyNet
            Initialize-Forwarding $m2 $kaimingBn
            (Get-Record $m2 'conv.weight').Initializer | Should -Be 'Kaiming'
        }

        It '-Confirm:$false initializes' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg $kaimingBn -Confirm:$false
            (Get-Record $m 'bn.weight').Initializer | Should -Be 'Constant'
        }

        It 'a second call warns and changes nothing' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg $kaimingBn -Seed 0
            $before = Get-State $m
            Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 9; layer = 'Conv2d' } -Seed 1 -WarningVariable w -WarningAction SilentlyContinue
            @($w).Count | Should -Be 1
            "$w" | Should -Match 'more than once'
            "$w" | Should -Match 'use -Force'
            "$w" | Should -Match '-Force'
            Get-State $m | Should -Be $before
        }

        It '-Force initializes again' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg $kaimingBn -Seed 0
            Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 9; layer = 'Conv2d' } -Force -WarningVariable w
            $w | Should -BeNullOrEmpty
            $r = Get-Record $m 'conv.weight'
            $r.InitInfo | Should -BeExactly 'ConstantInit: val=9, bias=0'
            $r.Min | Should -Be 9
        }
    }

    Context '-Strict and warnings' {

        It 'a layer that matches nothing warns once: a second call that changes nothing only says so' {
            $m = New-ToyNet
            $cfg = @(@{ type = 'Kaiming'; layer = 'Conv2d' }, @{ type = 'Constant'; val = 1; layer = 'GroupNorm' })
            Invoke-InitWeights $m -InitCfg $cfg -WarningVariable first -WarningAction SilentlyContinue
            @($first).Count | Should -Be 1
            "$first" | Should -Match "'GroupNorm'"
            Invoke-InitWeights $m -InitCfg $cfg -WarningVariable second -WarningAction SilentlyContinue
            @($second).Count | Should -Be 1
            "$second" | Should -Match 'more than once; nothing was changed'
            "$second" | Should -Not -Match 'GroupNorm'
        }

        It 'without -Strict, a layer that matches nothing warns with the nearest type and the rest applies' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Conv3d' }, @{ type = 'Constant'; val = 2; layer = 'Linear' } -WarningVariable w -WarningAction SilentlyContinue
            @($w).Count | Should -Be 1
            "$w" | Should -Match "'Conv3d'"
            "$w" | Should -Match "did you mean 'Conv2d'\?"
            (Get-Record $m 'fc.weight').Max | Should -Be 2
            (Get-Record $m 'conv.weight').Written | Should -BeFalse
        }

        It 'a config with neither layer nor override warns that it does nothing' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg @{ type = 'Normal'; std = 0.01 } -WarningVariable w -WarningAction SilentlyContinue
            "$w" | Should -Match 'neither layer nor override'
        }

        It '-Strict turns the warning into a StrictWarning error and changes nothing' {
            $m = New-ToyNet
            $before = Get-State $m
            $err = $null
            try { Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Conv3d' }, @{ type = 'Constant'; val = 2; layer = 'Linear' } -Strict } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'StrictWarning,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.TargetObject | Should -Be 'init_cfg[0].layer'
            $err.Exception.Message | Should -Match "'Conv2d'"
            Get-State $m | Should -Be $before
            # ...and the model is not marked initialized.
            Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 2; layer = 'Linear' } -WarningVariable w
            $w | Should -BeNullOrEmpty
            (Get-Record $m 'fc.weight').Max | Should -Be 2
        }
    }

    Context 'Config errors are terminating and leave the model untouched' {

        BeforeEach {
            $script:m = New-ToyNet
            $script:before = Get-State $m
        }

        AfterEach {
            Get-State $m | Should -Be $before
        }

        It 'OverrideMissingName' {
            $err = $null
            try { Invoke-InitWeights $m -InitCfg @{ type = 'Normal'; layer = 'Conv2d'; override = @{ type = 'Normal'; std = 0.01 } } } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'OverrideMissingName,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -Be 'init_cfg[0].override'
        }

        It 'OverrideNameNotFound' {
            $err = $null
            try { Invoke-InitWeights $m -InitCfg @{ type = 'Normal'; layer = 'Conv2d'; override = @{ type = 'Normal'; name = 'retina_cls' } } } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'OverrideNameNotFound,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.TargetObject | Should -Be 'init_cfg[0].override[0].name'
            $err.Exception.Message | Should -Match 'retina_cls'
        }

        It 'UnknownInitializerType' {
            $err = $null
            try { Invoke-InitWeights $m -InitCfg @{ type = 'Kaimin'; layer = 'Conv2d' } } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'UnknownInitializerType,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.TargetObject | Should -Be 'init_cfg[0].type'
            $err.Exception.Message | Should -Match "'Kaiming'"
        }

        It 'refuses the whole list when a later item is bad (nothing of the first item is applied)' {
            $err = $null
            try { Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Conv2d' }, @{ type = 'Kaiming'; layer = 'Conv2d'; mode = 'fan_middle' } } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'InvalidArgumentValue,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.TargetObject | Should -Be 'init_cfg[1].mode'
        }

        It 'is terminating even with -ErrorAction SilentlyContinue' {
            { Invoke-InitWeights $m -InitCfg @{ type = 'Kaimin'; layer = 'Conv2d' } -ErrorAction SilentlyContinue } | Should -Throw
        }

        It 'a number as -InitCfg is an error' {
            $err = $null
            try { Invoke-InitWeights $m -InitCfg 42 } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'ConfigNotMapping,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidType'
        }

        It 'a string as -InitCfg is an error' {
            { Invoke-InitWeights $m -InitCfg 'Kaiming' } | Should -Throw -ErrorId 'ConfigNotMapping,InitCfg.Cmdlets.InvokeInitWeightsCommand'
        }

        It 'reports each problem once' {
            $err = $null
            try { Invoke-InitWeights $m -InitCfg @{ type = 'Kaimin'; layer = 'Conv2d' } } catch { $err = $_ }
            ([regex]::Matches($err.Exception.Message, "'Kaimin'")).Count | Should -Be 1
        }
    }

    Context 'MMDetection RetinaNet head' {

        BeforeAll {
            $script:head = New-InitModel (New-RetinaHeadConfig) -Seed 1
            Invoke-InitWeights $head -Seed 0 -InitCfg @{
                type     = 'Normal'; layer = 'Conv2d'; std = 0.01
                override = @{ type = 'Normal'; name = 'retina_cls'; std = 0.01; bias_prob = 0.01 }
            }
            $script:report = Get-InitReport $head
        }

        It 'sets every retina_cls.bias element to -log((1-p)/p) = -4.59511985013459' {
            $b = $report | Where-Object Name -EQ 'retina_cls.bias'
            [Math]::Abs($b.Mean - (-4.59511985013459)) | Should -BeLessThan 1e-6
            $b.Min | Should -Be $b.Max
            $b.Std | Should -Be 0
        }

        It 'labels retina_cls with the override''s InitInfo' {
            ($report | Where-Object Name -EQ 'retina_cls.weight').InitInfo | Should -BeExactly 'NormalInit: mean=0, std=0.01, bias=-4.59511985013459'
            ($report | Where-Object Name -EQ 'retina_cls.bias').InitInfo | Should -BeExactly 'NormalInit: mean=0, std=0.01, bias=-4.59511985013459'
        }

        It 'labels the other convolutions with the layer config' {
            foreach ($r in $report | Where-Object Name -NotLike 'retina_cls.*') {
                $r.InitInfo | Should -BeExactly 'NormalInit: mean=0, std=0.01, bias=0'
            }
            ($report | Where-Object Name -EQ 'retina_reg.bias').Max | Should -Be 0
        }

        It 'a name-only override takes the parent''s arguments and initializes the named module as a whole' {
            $m = New-InitModel (New-RetinaHeadConfig)
            Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Linear'; override = @{ name = 'cls_convs' } } -WarningAction SilentlyContinue
            $r = Get-InitReport $m
            ($r | Where-Object Name -EQ 'cls_convs.1.weight').InitInfo | Should -BeExactly 'ConstantInit: val=1, bias=0'
            ($r | Where-Object Name -EQ 'reg_convs.0.weight').Written | Should -BeFalse
        }
    }
}

Describe 'Invoke-InitWeights -OutputPath and lazy models' {

    BeforeAll {
        $script:llamaCfg = @(
            @{ type = 'TruncNormal'; std = 0.02; layer = 'Linear' }
            @{ type = 'Kaiming'; layer = 'Embedding' }
            @{ type = 'Constant'; val = 1; layer = 'LayerNorm' }
        )
        # 5,200 bytes a shard cut this model (42,624 bytes) into exactly ten shards (checked below).
        $script:tenShards = 5200
    }

    It 'builds a lazy model: no storage, Lazy in the view, NaN statistics before init' {
        $lazy = New-InitModel -Lazy -Config (New-LlamaConfig)
        $lazy.Lazy | Should -BeTrue
        (New-InitModel -Config (New-LlamaConfig)).Lazy | Should -BeFalse
        ($lazy | Format-Table | Out-String) | Should -Match '\(lazy\)'
        $records = @(Get-InitReport $lazy)
        $records.Count | Should -Be 37
        $records[0].Shape | Should -Be @(50, 16)
        [double]::IsNaN($records[0].Mean) | Should -BeTrue
    }

    It 'refuses a lazy model without -OutputPath before any work (OutputPathRequired)' {
        $lazy = New-InitModel -Lazy -Config (New-LlamaConfig)
        { Invoke-InitWeights $lazy $llamaCfg -Seed 0 } |
            Should -Throw -ErrorId 'OutputPathRequired,InitCfg.Cmdlets.InvokeInitWeightsCommand'
        $lazy.Initialized | Should -BeFalse
    }

    It 'refuses a lazy init that leaves tensors at constructor values (LazyInitUnsupported), writing nothing' {
        $lazy = New-InitModel -Lazy -Config (New-LlamaConfig)
        $out = Join-Path $TestDrive 'unwritten'
        { Invoke-InitWeights $lazy @{ type = 'Normal'; layer = 'Linear', 'Embedding' } -OutputPath $out } |
            Should -Throw -ErrorId 'LazyInitUnsupported,InitCfg.Cmdlets.InvokeInitWeightsCommand'
        Test-Path $out | Should -BeFalse
    }

    It '-WhatIf names the folder and writes nothing' {
        $lazy = New-InitModel -Lazy -Config (New-LlamaConfig)
        $out = Join-Path $TestDrive 'whatif'
        $text = Invoke-WithHostCapture { Invoke-InitWeights $lazy $llamaCfg -Seed 0 -OutputPath $out -ShardSize $tenShards -WhatIf } -Directory $TestDrive
        $text | Should -Match ([regex]::Escape("written into $out as safetensors shards of at most 5,200 bytes"))
        Test-Path $out | Should -BeFalse
        $lazy.Initialized | Should -BeFalse
    }

    It 'writes ten shards equal, file for file, to Export-InitWeights -ShardSize of the model initialized in memory; the reports are equal' {
        $lazy = New-InitModel -Lazy -Config (New-LlamaConfig)
        $streamed = Join-Path $TestDrive 'streamed'
        Invoke-InitWeights $lazy $llamaCfg -Seed 5 -OutputPath $streamed -ShardSize $tenShards
        $memory = New-InitModel -Config (New-LlamaConfig)
        Invoke-InitWeights $memory $llamaCfg -Seed 5
        $exported = Join-Path $TestDrive 'exported'
        Export-InitWeights $memory $exported -ShardSize $tenShards

        $files = @(Get-ChildItem $exported | Sort-Object Name)
        $files.Count | Should -Be 11
        $files[0].Name | Should -Be 'model-00001-of-00010.safetensors'
        @(Get-ChildItem $streamed | Sort-Object Name).Name | Should -Be $files.Name
        foreach ($f in $files) {
            (Get-FileHash (Join-Path $streamed $f.Name)).Hash | Should -Be (Get-FileHash $f.FullName).Hash -Because $f.Name
        }
        $lazy.Lazy | Should -BeTrue
        $lazy.Initialized | Should -BeTrue
        (Get-InitReport $lazy | Out-String) | Should -BeExactly (Get-InitReport $memory | Out-String)
        (Get-InitReport $lazy | ForEach-Object { "$($_.Name) $($_.Mean) $($_.Std) $($_.Min) $($_.Max)" }) |
            Should -Be (Get-InitReport $memory | ForEach-Object { "$($_.Name) $($_.Mean) $($_.Std) $($_.Min) $($_.Max)" })
    }

    It 'refuses what needs values: Export-InitWeights (ModelIsLazy) and an .html report' {
        $lazy = New-InitModel -Lazy -Config (New-LlamaConfig -Layers 1)
        { Export-InitWeights $lazy (Join-Path $TestDrive 'lazy.safetensors') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ModelIsLazy,InitCfg.Cmdlets.ExportInitWeightsCommand'
        { Export-InitReport $lazy (Join-Path $TestDrive 'lazy.html') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ModelIsLazy,InitCfg.Cmdlets.ExportInitReportCommand'
        Test-Path (Join-Path $TestDrive 'lazy.safetensors') | Should -BeFalse
    }

    It 'leaves no file behind when stopped midway (Ctrl+C), and the model as it was' {
        $out = Join-Path $TestDrive 'stopped'
        $ps = [powershell]::Create()
        try {
            # 100 Linear(1000, 1000): 400 MB written one 4 MB tensor at a time, so the stop lands midway.
            $null = $ps.AddScript("Import-Module '$modulePath'").AddStatement().AddScript({
                param($out)
                $script:m = New-InitModel -Lazy -Config @{ type = 'Sequential'; modules = @(1..100 | ForEach-Object {
                    @{ type = 'Linear'; in_features = 1000; out_features = 1000; bias = $false } }) }
                Invoke-InitWeights $script:m @{ type = 'Normal'; layer = 'Linear' } -Seed 0 -OutputPath $out -ShardSize 50MB
            }.ToString()).AddArgument($out)
            $async = $ps.BeginInvoke()
            # The temporary shards exist from the start of the run: stop as soon as they appear.
            while (-not $async.IsCompleted -and -not (Get-ChildItem $out -Force -Filter '*.initcfg-partial' -ErrorAction Ignore)) { Start-Sleep -Milliseconds 5 }
            $ps.Stop()
            try { $null = $ps.EndInvoke($async) } catch { }
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $model = $ps.Runspace.SessionStateProxy.GetVariable('m')
        }
        finally { $ps.Dispose() }
        Test-Path $out | Should -BeFalse
        $model.Lazy | Should -BeTrue
        $model.Initialized | Should -BeFalse
    }

    It 'writes the shards of an in-memory model in the same call' {
        $memory = New-InitModel -Config (New-LlamaConfig -Layers 1)
        $out = Join-Path $TestDrive 'memory'
        Invoke-InitWeights $memory $llamaCfg -Seed 1 -OutputPath $out -ShardSize 2KB
        $index = Get-Content (Join-Path $out 'model.safetensors.index.json') -Raw | ConvertFrom-Json
        @($index.weight_map.PSObject.Properties).Count | Should -Be 15
        $memory.Lazy | Should -BeFalse
    }
}
