# Pretrained through Invoke-InitWeights: local paths, URIs resolved in a checkpoint folder, prefixes, partial loads,
# the load report, and checkpoint errors (which stop the call before any weight changes).

BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    function Get-Record($Model, [string]$Name) { Get-InitReport $Model | Where-Object Name -EQ $Name }
    function Get-Buffer($Model, [string]$Name) { foreach ($b in $Model.named_buffers()) { if ($b.Item1 -eq $Name) { return $b.Item2 } } }

    # A detector-like model: backbone = ToyNet layout, neck and head next to it.
    function New-Detector([long]$Seed = 2) {
        New-InitModel -Seed $Seed @{
            type = 'Module'; class_name = 'Detector'
            modules = [ordered]@{
                backbone = New-ToyNetConfig
                neck     = @{ type = 'Conv2d'; in_channels = 8; out_channels = 8; kernel_size = 1 }
                head     = @{ type = 'Linear'; in_features = 8; out_features = 3 }
            }
        }
    }

    # A torch.save-like zip whose pickle calls os.system (built byte by byte; nothing here can run it).
    function New-UnsafeCheckpoint([string]$Path, [string]$Marker) {
        $cmd = [Text.Encoding]::ASCII.GetBytes("touch $Marker")
        $pickle = [Collections.Generic.List[byte]]::new()
        $pickle.AddRange([byte[]](0x80, 0x02))
        $pickle.AddRange([Text.Encoding]::ASCII.GetBytes("cos`nsystem`n("))
        $pickle.Add([byte][char]'X'); $pickle.AddRange([BitConverter]::GetBytes([int]$cmd.Length)); $pickle.AddRange($cmd)
        $pickle.AddRange([Text.Encoding]::ASCII.GetBytes('tR.'))
        $fs = [IO.File]::Create($Path)
        try {
            $zip = [IO.Compression.ZipArchive]::new($fs, [IO.Compression.ZipArchiveMode]::Create)
            $s = $zip.CreateEntry('archive/data.pkl').Open()
            $s.Write($pickle.ToArray(), 0, $pickle.Count)
            $s.Dispose(); $zip.Dispose()
        }
        finally { $fs.Dispose() }
    }

    function Invoke-Failing([scriptblock]$ScriptBlock) {
        try { & $ScriptBlock; $null } catch { $_ }
    }

    # The source of every checkpoint here: a ToyNet with known weights and running statistics.
    $script:source = New-ToyNet -Seed 5
    Invoke-InitWeights $source -Seed 0 -InitCfg @{ type = 'Normal'; std = 0.3; bias = 0.1; layer = @('Conv2d', '_BatchNorm', 'Linear') }
    $null = (Get-Buffer $source 'bn.running_var').fill_([TorchSharp.Scalar]2.5)
    $script:sourcePrint = Get-ModelFingerprint $source
    $script:ckptDir = Join-Path $TestDrive 'ckpt'
    $null = New-Item -ItemType Directory -Path $ckptDir
    $script:toyPth = Join-Path $ckptDir 'toy.pth'
    Export-InitWeights $source $toyPth

    $script:hub = Join-Path $TestDrive 'hub'
    $null = New-Item -ItemType Directory -Path $hub
    Copy-Item $toyPth (Join-Path $hub 'resnet18-f37072fd.pth')
    Copy-Item $toyPth (Join-Path $hub 'toy_coco-0123abcd.pth')
}

Describe 'Pretrained' {

    Context 'Loading' {

        It 'loads a local .pth path: weights, buffers and the PretrainedInit record' {
            $m = New-ToyNet -Seed 9
            Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = $toyPth } -WarningVariable w
            $w | Should -BeNullOrEmpty
            Get-ModelFingerprint $m | Should -Be $sourcePrint
            (Get-Buffer $m 'bn.running_var').mean().item[float]() | Should -Be 2.5
            (Get-Record $m 'conv.weight').InitInfo | Should -BeExactly "PretrainedInit: load from $toyPth"
            (Get-Record $m 'fc.bias').Initializer | Should -Be 'Pretrained'
        }

        It 'resolves a relative checkpoint path against the current location' {
            $m = New-ToyNet -Seed 9
            Push-Location -LiteralPath $ckptDir
            try { Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = 'toy.pth' } }
            finally { Pop-Location }
            Get-ModelFingerprint $m | Should -Be $sourcePrint
        }

        It 'expands ~ in a local checkpoint path, as MMEngine does' {
            $savedHome = $env:HOME
            try {
                $env:HOME = $ckptDir
                $m = New-ToyNet -Seed 9
                Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = '~/toy.pth' }
                Get-ModelFingerprint $m | Should -Be $sourcePrint
            }
            finally { $env:HOME = $savedHome }
        }

        It '-WhatIf reads and checks the checkpoint but changes nothing' {
            $m = New-ToyNet -Seed 9
            $before = Get-ModelFingerprint $m
            $out = Invoke-WithHostCapture -Directory ([IO.Path]::GetTempPath()) -ScriptBlock { Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = $toyPth } -WhatIf }
            $out | Should -Match 'What if: .*Pretrained'
            Get-ModelFingerprint $m | Should -Be $before
            Get-InitReport $m -LoadReport | Should -BeNullOrEmpty
            $err = Invoke-Failing { Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = (Join-Path $TestDrive 'gone.pth') } -WhatIf }
            $err.FullyQualifiedErrorId | Should -Be 'CheckpointNotFound,InitCfg.Cmdlets.InvokeInitWeightsCommand'
        }

        It 'takes a New-InitCfg Pretrained config' {
            $m = New-ToyNet -Seed 9
            New-InitCfg -Type Pretrained -Checkpoint $toyPth | Invoke-InitWeights -Model $m
            Get-ModelFingerprint $m | Should -Be $sourcePrint
        }

        It "loads only keys under prefix='backbone.', with the prefix removed" {
            $det = New-Detector
            Invoke-InitWeights $det -Seed 1 -InitCfg @{ type = 'Constant'; val = 0.5; layer = @('Conv2d', 'Linear') }
            $detPth = Join-Path $ckptDir 'detector.pth'
            Export-InitWeights $det $detPth -Force
            $m = New-ToyNet -Seed 9
            Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = $detPth; prefix = 'backbone.' } -WarningVariable w
            $w | Should -BeNullOrEmpty
            (Get-Record $m 'conv.weight').Max | Should -Be 0.5
            (Get-Record $m 'fc.weight').Min | Should -Be 0.5
            $load = Get-InitReport $m -LoadReport
            $load.Prefix | Should -Be 'backbone.'
            $load.Unexpected | Should -BeNullOrEmpty
            $load.Loaded.Count | Should -Be 9
        }

        It 'runs after the other configs, and an override inside it applies right after loading' {
            $m = New-ToyNet -Seed 9
            Invoke-InitWeights $m -InitCfg @(
                @{ type = 'Pretrained'; checkpoint = $toyPth; override = @{ name = 'fc'; type = 'Constant'; val = 0; bias = 1 } }
                @{ type = 'Constant'; val = 7; layer = @('Conv2d', 'Linear') }
            )
            Get-TensorSha256 (Get-NamedParameter $m 'conv.weight') | Should -Be (Get-TensorSha256 (Get-NamedParameter $source 'conv.weight'))
            (Get-Record $m 'fc.weight').InitInfo | Should -BeExactly 'ConstantInit: val=0, bias=1'
            (Get-Record $m 'fc.bias').Min | Should -Be 1
        }
    }

    Context 'Partial loads are warnings, never errors' {

        It 'skips a key whose shape differs, with a warning naming it, and loads the rest' {
            $m = New-InitModel -Seed 9 (New-ToyNetConfig) # fc: Linear(8, 4)
            $other = New-InitModel -Seed 4 @{
                type = 'Module'; class_name = 'ToyNet'
                modules = [ordered]@{
                    conv = @{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3 }
                    bn   = @{ type = 'BatchNorm2d'; num_features = 8 }
                    fc   = @{ type = 'Linear'; in_features = 8; out_features = 10 }
                }
            }
            $path = Join-Path $ckptDir 'ten-classes.safetensors'
            Export-InitWeights $other $path -Force
            $fcBefore = Get-TensorSha256 (Get-NamedParameter $m 'fc.weight')

            Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = $path } -Strict -WarningVariable w -WarningAction SilentlyContinue

            ($w -join "`n") | Should -Match 'size mismatch, skipped: fc\.weight: checkpoint \[10, 8\] vs model \[4, 8\]'
            Get-TensorSha256 (Get-NamedParameter $m 'fc.weight') | Should -Be $fcBefore
            Get-TensorSha256 (Get-NamedParameter $m 'conv.weight') | Should -Be (Get-TensorSha256 (Get-NamedParameter $other 'conv.weight'))
            $load = Get-InitReport $m -LoadReport
            @($load.ShapeMismatched.Name) | Should -Be @('fc.weight', 'fc.bias')
            $load.IsComplete | Should -BeFalse
        }

        It 'warns about missing and unexpected keys by name' {
            $det = New-Detector
            $path = Join-Path $ckptDir 'det-full.pth'
            Export-InitWeights $det $path -Force
            $m = New-ToyNet -Seed 9
            Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = $path } -WarningVariable w -WarningAction SilentlyContinue
            ($w -join "`n") | Should -Match 'missing keys in source state_dict: conv\.weight, conv\.bias'
            ($w -join "`n") | Should -Match 'unexpected key in source state_dict: backbone\.conv\.weight'
            ($w -join "`n") | Should -Match 'neck\.weight'
        }
    }

    Context 'Get-InitReport -LoadReport' {

        It 'returns one LoadReport per load with the checkpoint, file and key lists' {
            $m = New-ToyNet -Seed 9
            Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = 'torchvision://resnet18' } -CheckpointDir $hub
            $load = @(Get-InitReport -Model $m -LoadReport)
            $load.Count | Should -Be 1
            $load[0] | Should -BeOfType ([InitCfg.Core.Checkpoints.LoadReport])
            $load[0].Checkpoint | Should -Be 'torchvision://resnet18'
            $load[0].File | Should -Be (Join-Path $hub 'resnet18-f37072fd.pth')
            $load[0].ModulePath | Should -Be ''
            @($load[0].Loaded) | Should -Be @('conv.weight', 'conv.bias', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked', 'fc.weight', 'fc.bias')
            $load[0].Missing | Should -BeNullOrEmpty
            $load[0].IsComplete | Should -BeTrue
        }

        It 'takes the model from the pipeline and is empty for a model that loaded nothing' {
            $m = New-ToyNet
            Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; layer = 'Conv2d' }
            $m | Get-InitReport -LoadReport | Should -BeNullOrEmpty
        }

        It 'shows the load summary with -Verbose' {
            $m = New-ToyNet -Seed 9
            $v = Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = $toyPth } -Verbose 4>&1
            ($v -join "`n") | Should -Match ([regex]::Escape("loaded 9 keys from $toyPth"))
        }
    }

    Context 'Checkpoint folder and URIs' {

        It 'finds torchvision://resnet18 under its torchvision file name in -CheckpointDir' {
            $m = New-ToyNet -Seed 9
            Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = 'torchvision://resnet18' } -CheckpointDir $hub
            Get-ModelFingerprint $m | Should -Be $sourcePrint
            (Get-Record $m 'conv.weight').InitInfo | Should -BeExactly 'PretrainedInit: load from torchvision://resnet18'
        }

        It 'finds open-mmlab://NAME as NAME-HASH.pth, with a relative -CheckpointDir' {
            $m = New-ToyNet -Seed 9
            Push-Location -LiteralPath $TestDrive
            try { Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = 'open-mmlab://toy_coco' } -CheckpointDir 'hub' }
            finally { Pop-Location }
            Get-ModelFingerprint $m | Should -Be $sourcePrint
        }

        It 'finds an http(s) URL by its file name' {
            $m = New-ToyNet -Seed 9
            Invoke-InitWeights $m -CheckpointDir $hub -InitCfg @{ type = 'Pretrained'; checkpoint = 'https://download.pytorch.org/models/resnet18-f37072fd.pth' }
            Get-ModelFingerprint $m | Should -Be $sourcePrint
        }

        It 'uses $env:INITCFG_CHECKPOINT_DIR, then $env:TORCH_HOME/hub/checkpoints' {
            $saved = $env:INITCFG_CHECKPOINT_DIR, $env:TORCH_HOME
            try {
                $env:INITCFG_CHECKPOINT_DIR = $hub
                $env:TORCH_HOME = $null
                $m = New-ToyNet -Seed 9
                Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = 'torchvision://resnet18' }
                Get-ModelFingerprint $m | Should -Be $sourcePrint

                $env:INITCFG_CHECKPOINT_DIR = $null
                $torchHome = Join-Path $TestDrive 'torch-home'
                $null = New-Item -ItemType Directory -Force -Path (Join-Path $torchHome 'hub/checkpoints')
                Copy-Item $toyPth (Join-Path $torchHome 'hub/checkpoints/resnet34-b627a593.pth')
                $env:TORCH_HOME = $torchHome
                $m = New-ToyNet -Seed 9
                Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = 'torchvision://resnet34' }
                Get-ModelFingerprint $m | Should -Be $sourcePrint
            }
            finally { $env:INITCFG_CHECKPOINT_DIR, $env:TORCH_HOME = $saved }
        }

        It 'defaults to $XDG_CACHE_HOME/torch/hub/checkpoints (as torch.hub) and names that path when the file is missing' {
            $saved = $env:INITCFG_CHECKPOINT_DIR, $env:TORCH_HOME, $env:XDG_CACHE_HOME
            try {
                $env:INITCFG_CHECKPOINT_DIR = $null
                $env:TORCH_HOME = $null
                $env:XDG_CACHE_HOME = Join-Path $TestDrive 'xdg'
                $err = Invoke-Failing { Invoke-InitWeights (New-ToyNet) -InitCfg @{ type = 'Pretrained'; checkpoint = 'torchvision://resnet101' } }
                $err.FullyQualifiedErrorId | Should -Be 'CheckpointNotFound,InitCfg.Cmdlets.InvokeInitWeightsCommand'
                $err.Exception.Message | Should -BeLike "*'$(Join-Path $TestDrive 'xdg/torch/hub/checkpoints/resnet101-63fe2227.pth')'*"
            }
            finally { $env:INITCFG_CHECKPOINT_DIR, $env:TORCH_HOME, $env:XDG_CACHE_HOME = $saved }
        }

        It 'names the exact expected path when a URI is not in the folder (CheckpointNotFound)' {
            $m = New-ToyNet -Seed 9
            $before = Get-ModelFingerprint $m
            $err = Invoke-Failing { Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = 'torchvision://resnet50' } -CheckpointDir $hub }
            $err.FullyQualifiedErrorId | Should -Be 'CheckpointNotFound,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.Exception.Message | Should -BeLike "*'$(Join-Path $hub 'resnet50-0676ba61.pth')'*"
            Get-ModelFingerprint $m | Should -Be $before
        }

        It 'refuses torchvision://../x (CheckpointPathEscapes)' {
            Copy-Item $toyPth (Join-Path $TestDrive 'x.pth') -Force
            $err = Invoke-Failing { Invoke-InitWeights (New-ToyNet) -InitCfg @{ type = 'Pretrained'; checkpoint = 'torchvision://../x' } -CheckpointDir $hub }
            $err.FullyQualifiedErrorId | Should -Be 'CheckpointPathEscapes,InitCfg.Cmdlets.InvokeInitWeightsCommand'
        }

        It 'refuses a symlink in the folder that leads out of it (CheckpointPathEscapes)' {
            $outside = Join-Path $TestDrive 'outside.pth'
            Copy-Item $toyPth $outside -Force
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path $hub 'escape.pth') -Target $outside -Force
            $err = Invoke-Failing { Invoke-InitWeights (New-ToyNet) -InitCfg @{ type = 'Pretrained'; checkpoint = 'open-mmlab://escape' } -CheckpointDir $hub }
            $err.FullyQualifiedErrorId | Should -Be 'CheckpointPathEscapes,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.Exception.Message | Should -BeLike "*$outside*"
        }
    }

    Context 'Checkpoint errors stop the whole call before any change' {

        BeforeEach {
            $script:m = New-ToyNet -Seed 9
            $script:before = Get-ModelFingerprint $m
            $script:cfg = { param($checkpoint) @(@{ type = 'Constant'; val = 3; layer = 'Conv2d' }, @{ type = 'Pretrained'; checkpoint = $checkpoint }) }
        }

        It 'a missing file: CheckpointNotFound naming the path' {
            $path = Join-Path $TestDrive 'nowhere/missing.pth'
            $err = Invoke-Failing { Invoke-InitWeights $m -InitCfg (& $cfg $path) }
            $err.FullyQualifiedErrorId | Should -Be 'CheckpointNotFound,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.Exception.Message | Should -BeLike "*$path*"
            $err.TargetObject | Should -Be 'init_cfg[1].checkpoint'
            Get-ModelFingerprint $m | Should -Be $before
            (Get-Record $m 'conv.weight').InitInfo | Should -BeNullOrEmpty
        }

        It 'a truncated file: CheckpointUnreadable' {
            $path = Join-Path $TestDrive 'truncated.pth'
            $bytes = [IO.File]::ReadAllBytes($toyPth)
            [IO.File]::WriteAllBytes($path, $bytes[0..($bytes.Length / 2)])
            $err = Invoke-Failing { Invoke-InitWeights $m -InitCfg (& $cfg $path) }
            $err.FullyQualifiedErrorId | Should -Be 'CheckpointUnreadable,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.CategoryInfo.Category | Should -Be 'ReadError'
            $err.Exception.Message | Should -BeLike "*$path*"
            Get-ModelFingerprint $m | Should -Be $before
        }

        It 'a file that is not a checkpoint: CheckpointUnreadable' {
            $path = Join-Path $TestDrive 'config.pth'
            Set-Content -LiteralPath $path -Value "model:`n  type: ResNet`n  depth: 50`n"
            $err = Invoke-Failing { Invoke-InitWeights $m -InitCfg (& $cfg $path) }
            $err.FullyQualifiedErrorId | Should -Be 'CheckpointUnreadable,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            Get-ModelFingerprint $m | Should -Be $before
        }

        It 'a pickle naming os.system: CheckpointUnsafe, and nothing runs' {
            $path = Join-Path $TestDrive 'evil.pth'
            $marker = Join-Path $TestDrive 'pwned'
            New-UnsafeCheckpoint -Path $path -Marker $marker
            $err = Invoke-Failing { Invoke-InitWeights $m -InitCfg (& $cfg $path) }
            $err.FullyQualifiedErrorId | Should -Be 'CheckpointUnsafe,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.Exception.Message | Should -Match 'os\.system'
            Test-Path -LiteralPath $marker | Should -BeFalse
            Get-ModelFingerprint $m | Should -Be $before
        }

        It 'gives CheckpointUnsafe and CheckpointPathEscapes the SecurityError category' {
            $path = Join-Path $TestDrive 'evil.pth'
            New-UnsafeCheckpoint -Path $path -Marker (Join-Path $TestDrive 'pwned')
            (Invoke-Failing { Invoke-InitWeights $m -InitCfg (& $cfg $path) }).CategoryInfo.Category | Should -Be 'SecurityError'
            (Invoke-Failing { Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = 'torchvision://../x' } -CheckpointDir $hub }).CategoryInfo.Category | Should -Be 'SecurityError'
        }
    }
}
