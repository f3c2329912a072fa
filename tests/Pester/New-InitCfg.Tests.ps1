BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    function Get-Completions([string]$InputScript) {
        (TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches.CompletionText
    }
}

Describe 'New-InitCfg' {

    Context '-Type with per-initializer parameters' {

        It 'keeps ints as ints: -Val 1 prints val=1' {
            (New-InitCfg -Type Constant -Val 1 -Layer Conv2d).ToString() | Should -BeExactly "dict(type='Constant', val=1, layer='Conv2d')"
        }

        It 'keeps floats as floats: -Val 1.0 prints val=1.0' {
            (New-InitCfg -Type Constant -Val 1.0 -Layer Conv2d).ToString() | Should -BeExactly "dict(type='Constant', val=1.0, layer='Conv2d')"
        }

        It 'emits an [InitCfg.InitConfig]' {
            $c = New-InitCfg -Type Kaiming -Layer Conv2d
            $c | Should -BeOfType ([InitCfg.InitConfig])
            $c -is [InitCfg.InitConfig] | Should -BeTrue
            $c.Type | Should -Be 'Kaiming'
            $c.ToString() | Should -BeExactly "dict(type='Kaiming', layer='Conv2d')"
        }

        It 'takes Kaiming -A -Mode -Nonlinearity -Distribution -Bias and -Layer as string[]' {
            $c = New-InitCfg -Type Kaiming -A 0.1 -Mode fan_in -Nonlinearity leaky_relu -Distribution uniform -Bias 0.5 -Layer Conv2d, Linear
            $c.Layer | Should -Be @('Conv2d', 'Linear')
            $s = $c.ToString()
            $s | Should -Match "a=0\.1"
            $s | Should -Match "mode='fan_in'"
            $s | Should -Match "nonlinearity='leaky_relu'"
            $s | Should -Match "distribution='uniform'"
            $s | Should -Match "bias=0\.5"
            $s | Should -Match "layer=\['Conv2d', 'Linear'\]"
        }

        It 'takes Normal -Mean -Std -BiasProb' {
            (New-InitCfg -Type Normal -Mean 0 -Std 0.01 -BiasProb 0.01 -Layer Conv2d).ToString() |
                Should -BeExactly "dict(type='Normal', mean=0, std=0.01, bias_prob=0.01, layer='Conv2d')"
        }

        It 'takes TruncNormal / Uniform -A -B' {
            (New-InitCfg -Type TruncNormal -Std 0.02 -A (-0.04) -B 0.04 -Layer Linear).ToString() |
                Should -BeExactly "dict(type='TruncNormal', std=0.02, a=-0.04, b=0.04, layer='Linear')"
            (New-InitCfg -Type Uniform -A (-1) -B 1 -Layer Linear).ToString() |
                Should -BeExactly "dict(type='Uniform', a=-1, b=1, layer='Linear')"
        }

        It 'takes bare negative numbers (-A -1 -B 1)' {
            (New-InitCfg -Type Uniform -A -1 -B 1 -Layer Linear).ToString() |
                Should -BeExactly "dict(type='Uniform', a=-1, b=1, layer='Linear')"
            (New-InitCfg -Type TruncNormal -A -0.04 -B 0.04 -Layer Linear).ToString() |
                Should -BeExactly "dict(type='TruncNormal', a=-0.04, b=0.04, layer='Linear')"
        }

        It 'takes Xavier -Gain -Distribution' {
            (New-InitCfg -Type Xavier -Gain 2 -Distribution uniform -Layer Linear).ToString() |
                Should -BeExactly "dict(type='Xavier', gain=2, distribution='uniform', layer='Linear')"
        }

        It 'takes further arguments from -Arguments' {
            (New-InitCfg -Type Normal -Arguments @{ std = 0.02 } -Layer Linear).ToString() |
                Should -BeExactly "dict(type='Normal', std=0.02, layer='Linear')"
        }
    }

    Context 'Pipeline composition' {

        It 'passes piped configs through ahead of the new one' {
            $list = @(New-InitCfg -Type Kaiming -Layer Conv2d | New-InitCfg -Type Constant -Val 1 -Layer _BatchNorm)
            $list.Count | Should -Be 2
            $list[0].ToString() | Should -BeExactly "dict(type='Kaiming', layer='Conv2d')"
            $list[1].ToString() | Should -BeExactly "dict(type='Constant', val=1, layer='_BatchNorm')"
        }

        It 'composes three configs in order' {
            $list = @(New-InitCfg -Type Kaiming -Layer Conv2d | New-InitCfg -Type Constant -Val 1 -Layer _BatchNorm | New-InitCfg -Type Normal -Std 0.01 -Layer Linear)
            $list.Type | Should -Be @('Kaiming', 'Constant', 'Normal')
        }
    }

    Context '-InputObject' {

        It 'parses a hashtable' {
            (New-InitCfg -InputObject @{ type = 'Constant'; val = 1; layer = 'Conv2d' }).ToString() |
                Should -BeExactly "dict(type='Constant', val=1, layer='Conv2d')"
        }

        It 'keeps the key order of an [ordered] dictionary' {
            (New-InitCfg -InputObject ([ordered]@{ type = 'Normal'; layer = 'Linear'; std = 0.01 })).ToString() |
                Should -BeExactly "dict(type='Normal', layer='Linear', std=0.01)"
        }

        It 'parses a list of hashtables' {
            $list = @(New-InitCfg -InputObject @(@{ type = 'Constant'; val = 1; layer = 'Conv2d' }, @{ type = 'Xavier'; layer = 'Linear' }))
            $list.Count | Should -Be 2
            $list[1].ToString() | Should -BeExactly "dict(type='Xavier', layer='Linear')"
        }

        It 'parses hashtables from the pipeline' {
            $list = @(@{ type = 'Constant'; val = 1; layer = 'Conv2d' }, @{ type = 'Xavier'; layer = 'Linear' } | New-InitCfg)
            $list.Count | Should -Be 2
            $list.Type | Should -Be @('Constant', 'Xavier')
        }

        It 'matches keys case- and underscore-insensitively' {
            $c = New-InitCfg -InputObject @{ Type = 'Normal'; Std = 0.01; BiasProb = 0.01; Layer = 'Conv2d' }
            $c.Type | Should -Be 'Normal'
            $c.Layer | Should -Be 'Conv2d'
            (New-InitCfg -InputObject @{ TYPE = 'Normal'; biasprob = 0.5; LAYER = 'Conv2d' }).Type | Should -Be 'Normal'
        }

        It 'prints MMEngine key names whatever the spelling' {
            (New-InitCfg -InputObject ([ordered]@{ Type = 'Normal'; Std = 0.01; BiasProb = 0.01; Layer = 'Conv2d' })).ToString() |
                Should -BeExactly "dict(type='Normal', std=0.01, bias_prob=0.01, layer='Conv2d')"
        }
    }

    Context '-Path' {

        It 'reads a single dict from YAML' {
            $file = Join-Path $TestDrive 'one.yaml'
            "type: Kaiming`nlayer: Conv2d`nmode: fan_in`nbias: 1" | Set-Content -Path $file
            (New-InitCfg -Path $file).ToString() | Should -BeExactly "dict(type='Kaiming', layer='Conv2d', mode='fan_in', bias=1)"
        }

        It 'reads a list from YAML' {
            $file = Join-Path $TestDrive 'list.yml'
            "- type: Constant`n  val: 1`n  layer: Conv2d`n- type: Xavier`n  layer: [Linear]`n  gain: 2.0" | Set-Content -Path $file
            $list = @(New-InitCfg -Path $file)
            $list.Count | Should -Be 2
            $list[0].ToString() | Should -BeExactly "dict(type='Constant', val=1, layer='Conv2d')"
            $list[1].ToString() | Should -BeExactly "dict(type='Xavier', layer=['Linear'], gain=2.0)"
        }

        It 'reads a single dict from JSON' {
            $file = Join-Path $TestDrive 'one.json'
            '{"type": "Normal", "std": 0.01, "layer": "Conv2d"}' | Set-Content -Path $file
            (New-InitCfg -Path $file).ToString() | Should -BeExactly "dict(type='Normal', std=0.01, layer='Conv2d')"
        }

        It 'reads a list from JSON' {
            $file = Join-Path $TestDrive 'list.json'
            '[{"type": "Constant", "val": 1, "layer": "Conv2d"}, {"type": "Constant", "val": 1.0, "layer": "_BatchNorm"}]' | Set-Content -Path $file
            $list = @(New-InitCfg -Path $file)
            $list.Count | Should -Be 2
            $list[1].ToString() | Should -BeExactly "dict(type='Constant', val=1.0, layer='_BatchNorm')"
        }

        It 'resolves a relative path against the current location' {
            "type: Xavier`nlayer: Linear" | Set-Content -Path (Join-Path $TestDrive 'rel.yaml')
            Push-Location $TestDrive
            try { (New-InitCfg -Path ./rel.yaml).Type | Should -Be 'Xavier' }
            finally { Pop-Location }
        }

        It 'fails with ConfigFileNotFound for a missing file' {
            $missing = Join-Path $TestDrive 'missing.yaml'
            $err = $null
            try { New-InitCfg -Path $missing } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'ConfigFileNotFound,InitCfg.Cmdlets.NewInitCfgCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.TargetObject | Should -Be $missing
        }

        It 'refuses /dev/zero and a .yaml symlink to it up front (ConfigFileUnreadable), reading nothing' {
            $link = Join-Path $TestDrive 'zero.yaml'
            $null = New-Item -ItemType SymbolicLink -Path $link -Target '/dev/zero'
            foreach ($p in '/dev/zero', $link) {
                $err = $null
                try { New-InitCfg -Path $p } catch { $err = $_ }
                $err.FullyQualifiedErrorId | Should -Be 'ConfigFileUnreadable,InitCfg.Cmdlets.NewInitCfgCommand'
                $err.Exception.Message | Should -Match 'character device'
            }
        }
    }

    Context '-Override' {

        It 'takes an override hashtable' {
            $c = New-InitCfg -Type Normal -Std 0.01 -Layer Conv2d -Override @{ type = 'Normal'; name = 'retina_cls'; std = 0.01; bias_prob = 0.01 }
            $c.Override.Count | Should -Be 1
            $c.Override[0].Name | Should -Be 'retina_cls'
            $c.ToString() | Should -BeExactly "dict(type='Normal', std=0.01, layer='Conv2d', override=dict(type='Normal', name='retina_cls', bias_prob=0.01, std=0.01))"
        }

        It 'takes several override hashtables, including a name-only one' {
            $c = New-InitCfg -Type Xavier -Layer Conv2d -Override @{ name = 'fc' }, @{ type = 'Constant'; val = 0; name = 'bn' }
            $c.Override.Name | Should -Be @('fc', 'bn')
            $c.Override[0].IsNameOnly | Should -BeTrue
        }

        It 'takes an InitConfig made with -Name' {
            $ov = New-InitCfg -Type Normal -Std 0.01 -BiasProb 0.01 -Name retina_cls
            $ov.Name | Should -Be 'retina_cls'
            $ov.ToString() | Should -BeExactly "dict(type='Normal', std=0.01, bias_prob=0.01, name='retina_cls')"
            $c = New-InitCfg -Type Normal -Std 0.01 -Layer Conv2d -Override $ov
            $c.ToString() | Should -BeExactly "dict(type='Normal', std=0.01, layer='Conv2d', override=dict(type='Normal', std=0.01, bias_prob=0.01, name='retina_cls'))"
        }

        It 'refuses an override without name (OverrideMissingName)' {
            $err = $null
            try { New-InitCfg -Type Normal -Layer Conv2d -Override @{ type = 'Normal'; std = 0.01 } } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'OverrideMissingName,InitCfg.Cmdlets.NewInitCfgCommand'
            $err.TargetObject | Should -Be 'init_cfg.override'
        }
    }

    Context 'Round trips' {

        BeforeAll {
            $script:rt = New-InitCfg -Type Normal -Std 0.01 -Layer Conv2d, Linear -Override (New-InitCfg -Type Normal -Std 0.01 -BiasProb 0.01 -Name retina_cls)
        }

        It 'ToHashtable() -> -InputObject gives an equal config' {
            $h = $rt.ToHashtable()
            $h | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
            (New-InitCfg -InputObject $h).ToString() | Should -BeExactly $rt.ToString()
        }

        It 'ToJson() -> -Path gives an equal config' {
            $file = Join-Path $TestDrive 'rt.json'
            $rt.ToJson() | Set-Content -Path $file
            (New-InitCfg -Path $file).ToString() | Should -BeExactly $rt.ToString()
        }

        It 'ToYaml() -> -Path gives an equal config' {
            $file = Join-Path $TestDrive 'rt.yaml'
            $rt.ToYaml() | Set-Content -Path $file
            (New-InitCfg -Path $file).ToString() | Should -BeExactly $rt.ToString()
        }

        It 'ToJson() -> ConvertFrom-Json -AsHashtable -> -InputObject keeps ints and floats apart' {
            $c = New-InitCfg -Type Constant -Val 1 -Bias 1.0 -Layer Conv2d
            $s = (New-InitCfg -InputObject ($c.ToJson() | ConvertFrom-Json -AsHashtable)).ToString()
            $s | Should -Match 'val=1[,)]'
            $s | Should -Match 'bias=1\.0[,)]'
        }

        It 'passes an InitConfig given to -InputObject through unchanged' {
            (New-InitCfg -InputObject $rt).ToString() | Should -BeExactly $rt.ToString()
        }
    }

    Context 'Errors' {

        It 'UnknownInitializerType names the nearest type' {
            $err = $null
            try { New-InitCfg -Type Kaimin -Layer Conv2d } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'UnknownInitializerType,InitCfg.Cmdlets.NewInitCfgCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.TargetObject | Should -Be 'init_cfg.type'
            $err.Exception.Message | Should -Match "'Kaiming'"
        }

        It 'MissingArgument for Constant without -Val' {
            $err = $null
            try { New-InitCfg -Type Constant -Layer Conv2d } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'MissingArgument,InitCfg.Cmdlets.NewInitCfgCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -Match 'val'
        }

        It 'UnknownArgument via -Arguments names the nearest valid argument' {
            $err = $null
            try { New-InitCfg -Type Constant -Val 1 -Arguments @{ foo = 1 } } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'UnknownArgument,InitCfg.Cmdlets.NewInitCfgCommand'
            $err.TargetObject | Should -Be 'init_cfg.foo'
            $err.Exception.Message | Should -Match "foo"
            $err.Exception.Message | Should -Match "Did you mean"
        }

        It 'UnknownArgument lists every valid key, override included' {
            $err = $null
            try { New-InitCfg -InputObject @{ type = 'Normal'; layer = 'Linear'; sd = 0.1 } } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'UnknownArgument,InitCfg.Cmdlets.NewInitCfgCommand'
            $err.Exception.Message | Should -Match 'Valid arguments: mean, std, bias, bias_prob, layer, override\.'
        }

        It 'BiasNotNumber for -Bias x' {
            $err = $null
            try { New-InitCfg -Type Normal -Bias 'x' -Layer Conv2d } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'BiasNotNumber,InitCfg.Cmdlets.NewInitCfgCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidType'
            $err.TargetObject | Should -Be 'init_cfg.bias'
        }

        It 'BiasProbOutOfRange for -BiasProb 1.5' {
            $err = $null
            try { New-InitCfg -Type Normal -BiasProb 1.5 -Layer Conv2d } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'BiasProbOutOfRange,InitCfg.Cmdlets.NewInitCfgCommand'
            $err.TargetObject | Should -Be 'init_cfg.bias_prob'
        }

        It 'InvalidArgumentValue for -Mode fan_middle' {
            $err = $null
            try { New-InitCfg -Type Kaiming -Mode fan_middle -Layer Conv2d } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'InvalidArgumentValue,InitCfg.Cmdlets.NewInitCfgCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -Be 'init_cfg.mode'
            $err.Exception.Message | Should -Match 'fan_in'
        }

        It 'InvalidArgumentValue for -Distribution gaussian' {
            { New-InitCfg -Type Xavier -Distribution gaussian -Layer Linear } |
                Should -Throw -ErrorId 'InvalidArgumentValue,InitCfg.Cmdlets.NewInitCfgCommand'
        }

        It 'LayerNotString for a numeric layer in -InputObject' {
            { New-InitCfg -InputObject @{ type = 'Xavier'; layer = 3 } } |
                Should -Throw -ErrorId 'LayerNotString,InitCfg.Cmdlets.NewInitCfgCommand'
        }

        It 'ConfigNotMapping for a list item that is not a dict' {
            $err = $null
            try { New-InitCfg -InputObject @(@{ type = 'Xavier'; layer = 'Linear' }, 42) } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'ConfigNotMapping,InitCfg.Cmdlets.NewInitCfgCommand'
            $err.TargetObject | Should -Be 'init_cfg[1]'
        }

        It 'writes one non-terminating error per bad dictionary piped in and converts the others' {
            $cfgs = @(@{ type = 'Kaimin'; layer = 'Conv2d' }, @{ type = 'Xavier'; layer = 'Linear' }) |
                New-InitCfg -ErrorVariable errs -ErrorAction SilentlyContinue
            @($cfgs).Count | Should -Be 1
            $cfgs.Type | Should -Be 'Xavier'
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'UnknownInitializerType,InitCfg.Cmdlets.NewInitCfgCommand'
        }

        It 'names each piped entry by its position in the list as given' {
            $m = New-ToyNet
            $cfgs = @(
                @{ type = 'Constant'; val = 1; override = @{ name = 'nope0' } },
                @{ type = 'Constant'; val = 1; override = @{ name = 'nope1' } },
                @{ type = 'Kaimin'; layer = 'Conv2d' }
            ) | New-InitCfg -Model $m -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 3
            @($errs.TargetObject) | Should -Be @('init_cfg[0].override[0].name', 'init_cfg[1].override[0].name', 'init_cfg[2].type')
            $errs[1].Exception.Message | Should -Match 'init_cfg\[1\]\.override\[0\]\.name'
            $errs[2].FullyQualifiedErrorId | Should -Be 'UnknownInitializerType,InitCfg.Cmdlets.NewInitCfgCommand'
        }

        It 'is a terminating error' {
            { New-InitCfg -Type Kaimin -ErrorAction SilentlyContinue } | Should -Throw
        }
    }

    Context 'Tab completion' {

        It 'completes -Type Kai to Kaiming' {
            Get-Completions 'New-InitCfg -Type Kai' | Should -Contain 'Kaiming'
        }

        It 'completes -Type with every MMEngine initializer' {
            $all = Get-Completions 'New-InitCfg -Type '
            foreach ($t in 'Constant', 'Xavier', 'Normal', 'TruncNormal', 'Uniform', 'Kaiming', 'Caffe2Xavier') { $all | Should -Contain $t }
        }

        It 'completes -Type Pre to Pretrained' {
            Get-Completions 'New-InitCfg -Type Pre' | Should -Contain 'Pretrained'
        }

        It 'completes -Mode' {
            Get-Completions 'New-InitCfg -Type Kaiming -Mode fan' | Should -Be @('fan_in', 'fan_out')
        }

        It 'completes -Nonlinearity' {
            Get-Completions 'New-InitCfg -Type Kaiming -Nonlinearity leaky' | Should -Contain 'leaky_relu'
        }

        It 'completes -Distribution' {
            Get-Completions 'New-InitCfg -Type Xavier -Distribution ' | Should -Be @('normal', 'uniform')
        }

        It 'completes -Layer with PyTorch base names (_Batch -> _BatchNorm)' {
            Get-Completions 'New-InitCfg -Type Constant -Val 1 -Layer _Batch' | Should -Contain '_BatchNorm'
        }

        It 'completes -Layer with layer types (Conv -> Conv2d)' {
            Get-Completions 'New-InitCfg -Type Kaiming -Layer Conv' | Should -Contain 'Conv2d'
        }
    }
}

Describe 'New-InitCfg with config text and .py files' {
    BeforeAll {
        $script:pyDir = Join-Path ([IO.Path]::GetTempPath()) "initcfg-pester-newcfg-$PID"
        $null = New-Item -ItemType Directory -Path $script:pyDir -Force
        Set-Content -LiteralPath "$script:pyDir/model.py" -Value "std = 0.01`nmodel = dict(type='RetinaNet', bbox_head=dict(init_cfg=dict(type='Normal', layer='Conv2d', std=std)))`n"
        Set-Content -LiteralPath "$script:pyDir/init.py" -Value "init_cfg = [dict(type='Kaiming', layer='Conv2d'), dict(type='Constant', val=1, layer='BatchNorm2d')]`n"
    }
    AfterAll { Remove-Item -LiteralPath $script:pyDir -Recurse -Force -ErrorAction Ignore }

    It 'reads pasted dict(...) text as InitCfg prints it' {
        $text = "dict(type='Normal', layer='Conv2d', std=0.01)"
        (New-InitCfg -InputObject $text).ToString() | Should -BeExactly $text
        ($text | New-InitCfg).ToString() | Should -BeExactly $text
    }

    It 'reads JSON and YAML text' {
        (New-InitCfg -InputObject '{"type": "Xavier", "layer": "Linear"}').ToString() | Should -BeExactly "dict(type='Xavier', layer='Linear')"
        (New-InitCfg -InputObject "type: Kaiming`nlayer: Conv2d").ToString() | Should -BeExactly "dict(type='Kaiming', layer='Conv2d')"
    }

    It '-Path file.py -Key picks a nested init_cfg; without -Key the file''s init_cfg' {
        (New-InitCfg -Path "$script:pyDir/model.py" -Key model.bbox_head.init_cfg).ToString() | Should -BeExactly "dict(type='Normal', layer='Conv2d', std=0.01)"
        (New-InitCfg -Path "$script:pyDir/init.py").Type | Should -Be @('Kaiming', 'Constant')
    }

    It 'bad Python text is ConfigSyntaxError' {
        { New-InitCfg -InputObject "dict(type='Normal', std=" } | Should -Throw -ErrorId 'ConfigSyntaxError,InitCfg.Cmdlets.NewInitCfgCommand'
    }
}
