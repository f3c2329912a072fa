BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    # A ToyNet initialized with a seed, with BatchNorm running statistics that differ from their defaults.
    function New-TrainedToyNet {
        $m = New-ToyNet -Seed 3
        Invoke-InitWeights $m -Seed 0 -InitCfg @(
            @{ type = 'Kaiming'; layer = 'Conv2d' }
            @{ type = 'Normal'; std = 0.5; bias = 0.25; layer = @('_BatchNorm', 'Linear') }
        )
        foreach ($b in $m.named_buffers()) {
            if ($b.Item1 -eq 'bn.running_mean') { $null = $b.Item2.add_([TorchSharp.Scalar]0.5) }
            if ($b.Item1 -eq 'bn.num_batches_tracked') { $null = $b.Item2.add_([TorchSharp.Scalar]7) }
        }
        $m
    }

    # name=values of every parameter and buffer, in any dtype.
    function Get-StateFingerprint($Model) {
        $lines = foreach ($p in $Model.named_parameters()) { '{0}={1}' -f $p.Item1, (Get-TensorSha256 $p.Item2) }
        $lines += foreach ($b in $Model.named_buffers()) { '{0}={1}' -f $b.Item1, ($b.Item2.to([TorchSharp.torch+ScalarType]::Float64).data[double]().ToArray() -join ',') }
        $lines -join "`n"
    }

    function Get-Files { @(Get-ChildItem -LiteralPath $TestDrive -Force -File -Recurse | ForEach-Object { $_.FullName.Substring($TestDrive.Length + 1) } | Sort-Object) }

    $script:source = New-TrainedToyNet
    $script:sourceState = Get-StateFingerprint $source
}

Describe 'Export-InitWeights' {

    BeforeEach {
        Get-ChildItem -LiteralPath $TestDrive -Force | Remove-Item -Recurse -Force
    }

    Context 'Formats' {

        It 'writes <Name> that Pretrained loads back bit for bit, buffers included' -ForEach @(
            @{ Name = 'w.pth' }, @{ Name = 'w.pt' }, @{ Name = 'w.safetensors' }, @{ Name = 'w.dat' }
        ) {
            $path = Join-Path $TestDrive $Name
            Export-InitWeights -Model $source -Path $path
            $target = New-ToyNet -Seed 9
            Get-StateFingerprint $target | Should -Not -Be $sourceState
            Invoke-InitWeights $target -InitCfg @{ type = 'Pretrained'; checkpoint = $path } -WarningVariable w
            $w | Should -BeNullOrEmpty
            Get-StateFingerprint $target | Should -Be $sourceState
        }

        It 'picks the format by extension (a zip for .pth, a JSON header for .safetensors)' {
            Export-InitWeights $source (Join-Path $TestDrive 'a.pth')
            Export-InitWeights $source (Join-Path $TestDrive 'a.safetensors')
            $zip = [IO.File]::ReadAllBytes((Join-Path $TestDrive 'a.pth'))
            [Text.Encoding]::ASCII.GetString($zip, 0, 2) | Should -Be 'PK'
            $st = [IO.File]::ReadAllBytes((Join-Path $TestDrive 'a.safetensors'))
            [char]$st[8] | Should -Be '{'
        }

        It 'refuses an extension it cannot write with UnsupportedFormat' {
            $err = $null
            Export-InitWeights $source (Join-Path $TestDrive 'w.onnx') -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'UnsupportedFormat,InitCfg.Cmdlets.ExportInitWeightsCommand'
            Get-Files | Should -BeNullOrEmpty
        }
    }

    Context 'Output and pipeline' {

        It 'writes nothing to the pipeline without -PassThru' {
            Export-InitWeights $source (Join-Path $TestDrive 'q.pth') | Should -BeNullOrEmpty
        }

        It '-PassThru returns the FileInfo of the written file' {
            $path = Join-Path $TestDrive 'p.safetensors'
            $fi = Export-InitWeights $source $path -PassThru
            $fi | Should -BeOfType ([IO.FileInfo])
            $fi.FullName | Should -Be $path
            $fi.Length | Should -BeGreaterThan 0
        }

        It '-PassThru returns what Get-Item returns, so it displays with mode, owner and size' {
            $path = Join-Path $TestDrive 'shown.pth'
            $fi = Export-InitWeights $source $path -PassThru
            $fi.PSPath | Should -Be (Get-Item -LiteralPath $path).PSPath
            $fi.PSProvider.Name | Should -Be 'FileSystem'
            $shown = $fi | Format-Table | Out-String -Width 200
            $shown | Should -Be (Get-Item -LiteralPath $path | Format-Table | Out-String -Width 200)
            $shown | Should -Match ("\s{0}\s+shown\.pth" -f $fi.Length)
        }

        It 'never shows more bytes written than the total in its progress' {
            # Thousands of tiny tensors: the archive's headers and pickle outweigh a progress step (1 MB), which made
            # the bar end past the total ("241,584,419 of 241,378,168 bytes").
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                    param($Module, $Path)
                    Import-Module $Module
                    $ProgressPreference = 'Continue'
                    $modules = @(@{ type = 'Linear'; in_features = 600; out_features = 600 }) +
                        @(1..3000 | ForEach-Object { @{ type = 'Linear'; in_features = 1; out_features = 1 } })
                    $m = New-InitModel -Config @{ type = 'Sequential'; modules = $modules }
                    Export-InitWeights -Model $m -Path $Path -PassThru
                }).AddArgument((Join-Path (Get-Module InitCfg).ModuleBase 'InitCfg.psd1')).AddArgument((Join-Path $TestDrive 'many.pth'))
                $file = $ps.Invoke()
                $ps.Streams.Error | Should -BeNullOrEmpty
                $file.Length | Should -BeGreaterThan 2MB
                $counts = @($ps.Streams.Progress | Where-Object StatusDescription -Match '^[\d,]+ of [\d,]+ bytes$')
                $counts.Count | Should -BeGreaterThan 0
                foreach ($p in $counts) {
                    $done, $total = $p.StatusDescription -replace ' bytes$' -replace ',' -split ' of ' | ForEach-Object { [long]$_ }
                    $done | Should -BeLessOrEqual $total -Because $p.StatusDescription
                    $p.PercentComplete | Should -BeLessOrEqual 100
                }
            }
            finally { $ps.Dispose() }
        }

        It 'takes the model from the pipeline' {
            $path = Join-Path $TestDrive 'piped.pth'
            $source | Export-InitWeights -Path $path
            Test-Path -LiteralPath $path | Should -BeTrue
        }

        It 'handles each piped model on its own: a second model to the same path is a non-terminating error' {
            $path = Join-Path $TestDrive 'first.dat'
            $fi = @(@((New-ToyNet), (New-ToyNet)) | Export-InitWeights -Path $path -PassThru -ErrorVariable err -ErrorAction SilentlyContinue)
            $fi.Count | Should -Be 1
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'ExportTargetExists,InitCfg.Cmdlets.ExportInitWeightsCommand'
            Get-Files | Should -Be @('first.dat')
        }

        It 'refuses a FIFO even with -Force (ExportFailed) and leaves it a FIFO' {
            $fifo = Join-Path $TestDrive 'pipe.pth'
            & mkfifo $fifo
            Export-InitWeights (New-ToyNet) -Path $fifo -Force -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'ExportFailed,InitCfg.Cmdlets.ExportInitWeightsCommand'
            $err[0].Exception.Message | Should -Match 'FIFO'
            (& stat -c %F $fifo) | Should -Be 'fifo'
            Remove-Item -LiteralPath $fifo
        }

        It 'resolves a relative path against the current PowerShell location' {
            Push-Location -LiteralPath $TestDrive
            try { Export-InitWeights $source 'rel.pth' }
            finally { Pop-Location }
            Test-Path -LiteralPath (Join-Path $TestDrive 'rel.pth') | Should -BeTrue
        }
    }

    Context 'Safety' {

        It 'refuses to overwrite without -Force (ExportTargetExists) and leaves the file as it was' {
            $path = Join-Path $TestDrive 'keep.pth'
            Set-Content -LiteralPath $path -Value 'precious' -NoNewline
            $err = $null
            Export-InitWeights $source $path -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'ExportTargetExists,InitCfg.Cmdlets.ExportInitWeightsCommand'
            $err[0].TargetObject | Should -Be $path
            # The engine's advice in PowerShell's words.
            "$($err[0])" | Should -Match 'use -Force'
            "$($err[0])" | Should -Not -Match 'force: true'
            Get-Content -LiteralPath $path -Raw | Should -Be 'precious'
            Get-Files | Should -Be @('keep.pth')
        }

        It 'is a non-terminating error that -ErrorAction Stop makes terminating' {
            $path = Join-Path $TestDrive 'keep.pth'
            Set-Content -LiteralPath $path -Value 'x'
            { Export-InitWeights $source $path -ErrorAction Stop } | Should -Throw -ErrorId 'ExportTargetExists,InitCfg.Cmdlets.ExportInitWeightsCommand'
        }

        It '-Force replaces an existing file' {
            $path = Join-Path $TestDrive 'old.safetensors'
            Set-Content -LiteralPath $path -Value 'old'
            Export-InitWeights $source $path -Force
            $target = New-ToyNet -Seed 9
            Invoke-InitWeights $target -InitCfg @{ type = 'Pretrained'; checkpoint = $path }
            Get-StateFingerprint $target | Should -Be $sourceState
        }

        It 'leaves no temporary file next to the target' {
            Export-InitWeights $source (Join-Path $TestDrive 'clean.pth')
            Export-InitWeights $source (Join-Path $TestDrive 'clean.pth') -Force
            Get-Files | Should -Be @('clean.pth')
        }

        It '-WhatIf writes nothing and says what it would write' {
            $path = Join-Path $TestDrive 'whatif.pth'
            $out = Invoke-WithHostCapture -Directory ([IO.Path]::GetTempPath()) -ScriptBlock { Export-InitWeights $source $path -WhatIf }
            $out | Should -Match 'What if: .*whatif\.pth'
            $out | Should -Match 'Export 9 tensors'
            Test-Path -LiteralPath $path | Should -BeFalse
            Get-Files | Should -BeNullOrEmpty
        }

        It 'gives ExportTargetExists the ResourceExists category and ExportFailed the WriteError category' {
            $path = Join-Path $TestDrive 'keep.pth'
            Set-Content -LiteralPath $path -Value 'x'
            Export-InitWeights $source $path -ErrorVariable err1 -ErrorAction SilentlyContinue
            $err1[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            Export-InitWeights $source (Join-Path $TestDrive 'no/such/dir/w.pth') -ErrorVariable err2 -ErrorAction SilentlyContinue
            $err2[0].CategoryInfo.Category | Should -Be 'WriteError'
        }

        It 'fails with ExportFailed when the folder does not exist' {
            $err = $null
            Export-InitWeights $source (Join-Path $TestDrive 'no/such/dir/w.pth') -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'ExportFailed,InitCfg.Cmdlets.ExportInitWeightsCommand'
        }
    }
    Context 'Sharded safetensors (-ShardSize)' {

        BeforeAll {
            # Ten Linear(16, 16): each weight (1,024 bytes) and bias (64 bytes) fill one 1,088-byte shard: 10 shards.
            $script:stackConfig = @{ type = 'Sequential'; modules = @(1..10 | ForEach-Object { @{ type = 'Linear'; in_features = 16; out_features = 16 } }) }
            $script:stack = New-InitModel -Config $stackConfig
            Invoke-InitWeights $stack -Seed 0 -InitCfg @{ type = 'Normal'; std = 0.5; bias = 0.25; layer = 'Linear' }
            $script:stackState = Get-StateFingerprint $stack
            $script:python = '/usr/bin/python3'
            $script:hasTorch = (Test-Path -LiteralPath $python) -and $(& $python -c 'import torch' 2>$null; $LASTEXITCODE -eq 0)
            $script:shardNames = @(1..10 | ForEach-Object { 'model-{0:D5}-of-00010.safetensors' -f $_ }) + 'model.safetensors.index.json'
        }

        It 'writes ten shards named as Hugging Face names them, and the index, which -PassThru returns' {
            $dir = Join-Path $TestDrive 'sharded'
            $out = Export-InitWeights $stack -Path $dir -ShardSize 1088 -PassThru
            $out.FullName | Should -Be (Join-Path $dir 'model.safetensors.index.json')
            @(Get-ChildItem -LiteralPath $dir -Name | Sort-Object) | Should -Be @($shardNames | Sort-Object)
            $index = Get-Content -Raw (Join-Path $dir 'model.safetensors.index.json') | ConvertFrom-Json
            $index.metadata.total_size | Should -Be (10 * 1088)
            $index.weight_map.'3.weight' | Should -Be 'model-00004-of-00010.safetensors'
        }

        It 'equals the monolithic export tensor for tensor, loaded back from the folder or its index' {
            $dir = Join-Path $TestDrive 'sharded'
            Export-InitWeights $stack -Path $dir -ShardSize 1088
            Export-InitWeights $stack -Path (Join-Path $TestDrive 'mono.safetensors')
            foreach ($checkpoint in @($dir, (Join-Path $dir 'model.safetensors.index.json'), (Join-Path $TestDrive 'mono.safetensors'))) {
                $copy = New-InitModel -Config $stackConfig
                Invoke-InitWeights $copy -InitCfg @{ type = 'Pretrained'; checkpoint = $checkpoint } -WarningVariable warned
                $warned | Should -BeNullOrEmpty
                Get-StateFingerprint $copy | Should -Be $stackState -Because $checkpoint
            }
        }

        It 'loads in PyTorch through the index, equal to the .pth export of the same model' {
            if (-not $hasTorch) { Set-ItResult -Skipped -Because "$python cannot import torch (install python3-torch)"; return }
            $dir = Join-Path $TestDrive 'sharded'
            Export-InitWeights $stack -Path $dir -ShardSize 1088
            Export-InitWeights $stack -Path (Join-Path $TestDrive 'mono.pth')
            $out = & $python (Join-Path $PSScriptRoot 'python/check_sharded_safetensors.py') (Join-Path $dir 'model.safetensors.index.json') (Join-Path $TestDrive 'mono.pth') 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
            $result = $out | Select-Object -Last 1 | ConvertFrom-Json
            $result.shards | Should -Be 10
            $result.tensors | Should -Be 20
            $result.total_size | Should -Be (10 * 1088)
        }

        It 'writes one model.safetensors and no index when everything fits in one shard, as save_pretrained does' {
            $dir = Join-Path $TestDrive 'one'
            (Export-InitWeights $stack -Path $dir -ShardSize 2GB -PassThru).Name | Should -Be 'model.safetensors'
            @(Get-ChildItem -LiteralPath $dir -Name) | Should -Be @('model.safetensors')
        }

        It 'refuses a folder that holds a checkpoint without -Force (ExportTargetExists); -Force replaces it and removes unused shards' {
            $dir = Join-Path $TestDrive 'sharded'
            Export-InitWeights $stack -Path $dir -ShardSize 1088
            $before = (Get-FileHash -LiteralPath (Join-Path $dir 'model.safetensors.index.json')).Hash
            Export-InitWeights $stack -Path $dir -ShardSize 2176 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'ExportTargetExists,InitCfg.Cmdlets.ExportInitWeightsCommand'
            (Get-FileHash -LiteralPath (Join-Path $dir 'model.safetensors.index.json')).Hash | Should -Be $before
            @(Get-ChildItem -LiteralPath $dir -Name).Count | Should -Be 11

            Export-InitWeights $stack -Path $dir -ShardSize 2176 -Force
            @(Get-ChildItem -LiteralPath $dir -Name | Sort-Object) | Should -Be @((@(1..5 | ForEach-Object { 'model-{0:D5}-of-00005.safetensors' -f $_ }) + 'model.safetensors.index.json') | Sort-Object)
            $copy = New-InitModel -Config $stackConfig
            Invoke-InitWeights $copy -InitCfg @{ type = 'Pretrained'; checkpoint = $dir }
            Get-StateFingerprint $copy | Should -Be $stackState
        }

        It 'refuses a file as the folder (ExportFailed) and a shard size below 1 (parameter validation)' {
            $file = Join-Path $TestDrive 'file'
            Set-Content -LiteralPath $file -Value 'x'
            Export-InitWeights $stack -Path $file -ShardSize 1088 -Force -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'ExportFailed,InitCfg.Cmdlets.ExportInitWeightsCommand'
            { Export-InitWeights $stack -Path (Join-Path $TestDrive 'd') -ShardSize 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,InitCfg.Cmdlets.ExportInitWeightsCommand'
        }

        It '-WhatIf writes nothing and says how many shards it would write' {
            $dir = Join-Path $TestDrive 'whatif'
            $out = Invoke-WithHostCapture -Directory ([IO.Path]::GetTempPath()) -ScriptBlock { Export-InitWeights $stack -Path $dir -ShardSize 1088 -WhatIf }
            $out | Should -Match 'Export 20 tensors \(10,880 bytes\) of Sequential as 10 safetensors shard'
            Test-Path -LiteralPath $dir | Should -BeFalse
        }

        It 'refuses an index whose shard lies outside its folder (CheckpointPathEscapes) before any weight changes' {
            $dir = Join-Path $TestDrive 'sharded'
            Export-InitWeights $stack -Path $dir -ShardSize 1088
            $indexFile = Join-Path $dir 'model.safetensors.index.json'
            (Get-Content -Raw $indexFile).Replace('"model-00001-of-00010', '"../model-00001-of-00010') | Set-Content -LiteralPath $indexFile -NoNewline
            $copy = New-InitModel -Config $stackConfig
            $before = Get-StateFingerprint $copy
            { Invoke-InitWeights $copy -InitCfg @{ type = 'Pretrained'; checkpoint = $dir } -ErrorAction Stop } |
                Should -Throw -ErrorId 'CheckpointPathEscapes,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            Get-StateFingerprint $copy | Should -Be $before
        }
    }
}
