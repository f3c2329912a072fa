# PyTorch is the judge: files written by torch.save load into InitCfg models with exactly the same values, and
# InitCfg's exports of a torchvision-named ResNet load into torchvision.models.resnet18() with strict=True.
# Needs /usr/bin/python3 with torch and torchvision (Debian's python3-torch, python3-torchvision); skipped otherwise.

BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    $script:python = '/usr/bin/python3'
    $script:noTorchReason = "$python cannot import torch and torchvision (install python3-torch and python3-torchvision)"
    $script:hasTorch = $false
    if (Test-Path -LiteralPath $python) {
        & $python -c 'import torch, torchvision' 2>$null
        $script:hasTorch = $LASTEXITCODE -eq 0
    }

    function Skip-WithoutTorch {
        if (-not $hasTorch) { Set-ItResult -Skipped -Because $noTorchReason }
    }

    function Invoke-Python([string]$Script, [string[]]$Arguments) {
        $out = & $python (Join-Path $PSScriptRoot "python/$Script") @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "python $Script failed ($LASTEXITCODE):`n$($out -join "`n")" }
        $out
    }

    # SHA-256 of a tensor's bytes in its own dtype (little-endian, C order), as hashlib over numpy().tobytes() gives.
    function Get-RawSha256($Tensor) {
        $c = $Tensor.detach().cpu().contiguous()
        $values = switch ($c.dtype.ToString()) {
            'Float32' { , $c.data[float]().ToArray() }
            'Int64' { , $c.data[long]().ToArray() }
            default { throw "dtype $_ not handled" }
        }
        $bytes = [byte[]]::new([Buffer]::ByteLength($values))
        [Buffer]::BlockCopy($values, 0, $bytes, 0, $bytes.Length)
        [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant()
    }

    # Name -> SHA-256 of every parameter and buffer.
    function Get-StateSha($Model) {
        $h = [ordered]@{}
        foreach ($p in $Model.named_parameters()) { $h[$p.Item1] = Get-RawSha256 $p.Item2 }
        foreach ($b in $Model.named_buffers()) { $h[$b.Item1] = Get-RawSha256 $b.Item2 }
        $h
    }

    function Assert-StateEquals($Model, $Expected, [string]$KeyPrefix = '') {
        $actual = Get-StateSha $Model
        @($actual.Keys | Sort-Object) | Should -Be @($Expected.PSObject.Properties.Name | ForEach-Object { $_.Substring($KeyPrefix.Length) } | Sort-Object)
        foreach ($k in $actual.Keys) { $actual[$k] | Should -Be $Expected.($KeyPrefix + $k) -Because $k }
    }

    if ($hasTorch) {
        $script:dir = Join-Path $TestDrive 'torch'
        $null = New-Item -ItemType Directory -Path $dir
        $script:marker = Join-Path $TestDrive 'pwned'
        $null = Invoke-Python 'make_checkpoints.py' @($dir, $marker)
        $script:expected = Get-Content -Raw (Join-Path $dir 'expected.json') | ConvertFrom-Json
    }
}

Describe 'PyTorch interop' {

    Context 'torch.save files load into InitCfg models exactly' {

        It 'a state dict: every parameter and buffer equal' {
            Skip-WithoutTorch
            $m = New-ToyNet -Seed 7
            Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = (Join-Path $dir 'plain.pth') } -WarningVariable w
            $w | Should -BeNullOrEmpty
            Assert-StateEquals $m $expected
        }

        It 'views into one shared storage (a flat-parameter checkpoint, one view transposed): every value equal' {
            Skip-WithoutTorch
            $m = New-ToyNet -Seed 7
            Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = (Join-Path $dir 'flat.pth') } -WarningVariable w
            $w | Should -BeNullOrEmpty
            Assert-StateEquals $m $expected
        }

        It "a {'state_dict': ...} wrapper with DataParallel 'module.' keys, meta and optimizer" {
            Skip-WithoutTorch
            $m = New-ToyNet -Seed 7
            Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = (Join-Path $dir 'wrapped.pth') } -WarningVariable w
            $w | Should -BeNullOrEmpty
            Assert-StateEquals $m $expected
        }

        It "a {'model': ...} wrapper" {
            Skip-WithoutTorch
            $m = New-ToyNet -Seed 7
            Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = (Join-Path $dir 'model.pth') }
            Assert-StateEquals $m $expected
        }

        It "a detector checkpoint with prefix='backbone.': only the backbone keys, stripped" {
            Skip-WithoutTorch
            $m = New-ToyNet -Seed 7
            Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = (Join-Path $dir 'detector.pth'); prefix = 'backbone.' } -WarningVariable w
            $w | Should -BeNullOrEmpty
            Assert-StateEquals $m $expected
            (Get-InitReport $m -LoadReport).IsComplete | Should -BeTrue
        }

        It 'the legacy (pre-1.6) format: CheckpointUnreadable saying so' {
            Skip-WithoutTorch
            $err = $null
            try { Invoke-InitWeights (New-ToyNet) -InitCfg @{ type = 'Pretrained'; checkpoint = (Join-Path $dir 'legacy.pth') } } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'CheckpointUnreadable,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.Exception.Message | Should -Match 'legacy'
        }

        It 'a pickle whose __reduce__ calls os.system: CheckpointUnsafe and nothing runs' {
            Skip-WithoutTorch
            $m = New-ToyNet -Seed 7
            $before = Get-ModelFingerprint $m
            $err = $null
            try { Invoke-InitWeights $m -InitCfg @{ type = 'Pretrained'; checkpoint = (Join-Path $dir 'evil.pth') } } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'CheckpointUnsafe,InitCfg.Cmdlets.InvokeInitWeightsCommand'
            $err.Exception.Message | Should -Match "'(posix|os)\.system'"
            Test-Path -LiteralPath $marker | Should -BeFalse
            Get-ModelFingerprint $m | Should -Be $before
        }
    }

    Context 'Exports of New-InitModel resnet18 load into torchvision.models.resnet18() with strict=True' {

        BeforeAll {
            if ($hasTorch) {
                $script:resnet = New-InitModel @{ type = 'resnet18' }
                Invoke-InitWeights $resnet -Seed 0 -InitCfg @(
                    @{ type = 'Kaiming'; layer = 'Conv2d' }
                    @{ type = 'Normal'; std = 0.2; bias = 0.5; layer = '_BatchNorm' }
                    @{ type = 'Normal'; std = 0.01; layer = 'Linear' }
                )
                # Running statistics that differ from their defaults, so a lost buffer shows.
                foreach ($b in $resnet.named_buffers()) {
                    if ($b.Item1 -like '*.running_mean') { $null = $b.Item2.normal_(0, 1) }
                    elseif ($b.Item1 -like '*.num_batches_tracked') { $null = $b.Item2.fill_([TorchSharp.Scalar]3) }
                }
                $script:resnetSha = Get-StateSha $resnet
                $script:pth = Join-Path $TestDrive 'resnet18.pth'
                $script:st = Join-Path $TestDrive 'resnet18.safetensors'
                $script:resaved = Join-Path $TestDrive 'resaved.pth'
                Export-InitWeights $resnet $pth
                Export-InitWeights $resnet $st
                $script:check = (Invoke-Python 'check_resnet18_export.py' @($pth, $st, $resaved)) -join '' | ConvertFrom-Json
            }
        }

        It ".pth: torch.load gives the keys in PyTorch's state_dict() order, buffers included" {
            Skip-WithoutTorch
            @($check.pth_keys) | Should -Be @($check.model_keys)
            $check.model_keys.Count | Should -Be 122
        }

        It '.pth: every tensor is equal after load_state_dict(strict=True)' {
            Skip-WithoutTorch
            foreach ($k in $check.model_keys) { $check.pth_sha.$k | Should -Be $resnetSha[$k] -Because $k }
        }

        It '.safetensors: same keys and every tensor equal after load_state_dict(strict=True)' {
            Skip-WithoutTorch
            @($check.st_keys) | Should -Be @($check.model_keys)
            foreach ($k in $check.model_keys) { $check.st_sha.$k | Should -Be $resnetSha[$k] -Because $k }
        }

        It "torch.save of the loaded torchvision model loads back into a new resnet18 bit for bit" {
            Skip-WithoutTorch
            $again = New-InitModel @{ type = 'resnet18' }
            Invoke-InitWeights $again -InitCfg @{ type = 'Pretrained'; checkpoint = $resaved } -WarningVariable w
            $w | Should -BeNullOrEmpty
            $sha = Get-StateSha $again
            foreach ($k in $resnetSha.Keys) { $sha[$k] | Should -Be $resnetSha[$k] -Because $k }
        }
    }

    Context "MMDetection's ResNet-50 backbone and torchvision://resnet50" {

        BeforeAll {
            if ($hasTorch) {
                $script:hub = Join-Path $TestDrive 'hub'
                $null = New-Item -ItemType Directory -Path $hub
                $script:original = Join-Path $hub 'resnet50-0676ba61.pth'
                $null = Invoke-Python 'resnet50_checkpoint.py' @('save', $original)
                $script:backbone = New-InitModel @{
                    type = 'ResNet'; depth = 50
                    init_cfg = @{ type = 'Pretrained'; checkpoint = 'torchvision://resnet50' }
                }
                Invoke-InitWeights $backbone -CheckpointDir $hub -WarningVariable script:loadWarnings -WarningAction SilentlyContinue
                $script:exported = Join-Path $TestDrive 'backbone.pth'
                Export-InitWeights $backbone $exported
                $script:r50 = (Invoke-Python 'resnet50_checkpoint.py' @('check', $exported, $original)) -join '' | ConvertFrom-Json
            }
        }

        It 'loads every key but the classifier, which it reports as unexpected' {
            Skip-WithoutTorch
            $load = Get-InitReport $backbone -LoadReport
            $load.File | Should -Be $original
            $load.Missing | Should -BeNullOrEmpty
            @($load.Unexpected) | Should -Be @('fc.weight', 'fc.bias')
            $load.Loaded.Count | Should -Be 318
            ($loadWarnings -join "`n") | Should -Match 'unexpected key in source state_dict: fc\.weight, fc\.bias'
        }

        It 'has torchvision names: its export loads into torchvision.models.resnet50() missing only fc, values unchanged' {
            Skip-WithoutTorch
            @($r50.missing) | Should -Be @('fc.weight', 'fc.bias')
            $r50.unexpected | Should -BeNullOrEmpty
            $r50.keys.Count | Should -Be 318
            $r50.different | Should -BeNullOrEmpty
        }
    }

    Context "MMDetection's RetinaNet with its backbone from torchvision://resnet50" {

        BeforeAll {
            if ($hasTorch) {
                $script:hub = Join-Path $TestDrive 'hub-retina'
                $null = New-Item -ItemType Directory -Path $hub
                $script:original = Join-Path $hub 'resnet50-0676ba61.pth'
                $null = Invoke-Python 'resnet50_checkpoint.py' @('save', $original)
                # MMDetection's own merged config, Pretrained backbone init included.
                $script:retina = New-InitModel -Config (Resolve-Path "$PSScriptRoot/../../examples/retinanet_r50_fpn_1x_coco.yaml").Path -Seed 1
                Invoke-InitWeights $retina -Seed 0 -CheckpointDir $hub -WarningVariable script:retinaWarnings -WarningAction SilentlyContinue
                $script:retinaExport = Join-Path $TestDrive 'retinanet.pth'
                Export-InitWeights $retina $retinaExport
                $script:rc = (Invoke-Python 'mmdet_export_check.py' @($retinaExport, $original)) -join '' | ConvertFrom-Json
            }
        }

        It 'loads the checkpoint into the backbone with MMDetection''s report: all but fc, which is unexpected' {
            Skip-WithoutTorch
            $load = @(Get-InitReport $retina -LoadReport)
            $load.Count | Should -Be 1
            $load[0].ModulePath | Should -Be 'backbone'
            $load[0].Missing | Should -BeNullOrEmpty
            @($load[0].Unexpected) | Should -Be @('fc.weight', 'fc.bias')
            $load[0].Loaded.Count | Should -Be 318
            ($retinaWarnings -join "`n") | Should -Match 'unexpected key in source state_dict: fc\.weight, fc\.bias'
        }

        It 'exports a file PyTorch reads with every backbone tensor equal to the checkpoint' {
            Skip-WithoutTorch
            $rc.keys.Count | Should -Be 354
            $rc.different | Should -BeNullOrEmpty
        }

        It 'exports MMDetection''s state_dict names and shapes, in order (strict=True would load it)' {
            Skip-WithoutTorch
            $ref = Join-Path $PSScriptRoot '../../../shared/mmdet-models/retinanet_r50_fpn_1x_coco.json'
            if (-not (Test-Path $ref)) { Set-ItResult -Skipped -Because '../shared/mmdet-models is absent'; return }
            $state = (Get-Content -Raw $ref | ConvertFrom-Json -AsHashtable).state
            @($rc.keys) | Should -Be @($state | ForEach-Object { $_.name })
            foreach ($e in $state) { (@($rc.shapes.($e.name)) -join ',') | Should -Be (@($e.shape) -join ',') -Because $e.name }
        }
    }
}
