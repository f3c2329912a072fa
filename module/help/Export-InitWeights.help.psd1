# Help source for Export-InitWeights (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Writes a model''s weights (its state dict) to a .pth/.pt, .safetensors or .dat file, or to sharded safetensors with an index, atomically.'

    Description = @(
        'Export-InitWeights writes the state dict of a TorchSharp model (its parameters and buffers, under their named_parameters / state_dict names, such as backbone.conv1.weight and bn1.running_mean) to a file. The extension picks the format: .pth or .pt writes a PyTorch checkpoint that torch.load reads; .safetensors writes the safetensors format; .dat writes TorchSharp''s own format (Module.load).'
        'The file is written atomically: it appears complete or not at all. An existing file is not replaced unless -Force is given. The files can be loaded back with a Pretrained init config, for example @{ type = ''Pretrained''; checkpoint = ''model.pth'' }, by Invoke-InitWeights.'
        'With -ShardSize, -Path is a folder (created when missing) and the weights are written in Hugging Face''s sharded safetensors layout, as save_pretrained writes it: shards model-00001-of-00010.safetensors and so on, each at most -ShardSize bytes of tensor data (a larger tensor gets a shard of its own), and model.safetensors.index.json with metadata.total_size and weight_map, which transformers, Accelerate, DeepSpeed and FSDP loaders read. When everything fits in one shard, the folder gets a single model.safetensors and no index, as save_pretrained does. Each file is written atomically and the index last. A Pretrained init config reads the folder or its index back.'
        'Problems (the file exists, an unknown extension, a write error) are non-terminating errors, one per model, so the remaining models of a pipeline are still exported; use -ErrorAction Stop to stop at the first one.'
    )

    Parameters  = @{
        Model    = 'The TorchSharp model (a torch.nn.Module) whose weights are exported, for example after Invoke-InitWeights. May come down the pipeline.'
        Path     = 'The file to write. Its extension picks the format: .pth or .pt (PyTorch), .safetensors, or .dat (TorchSharp). Relative paths are resolved against the current PowerShell location.'
        Force    = 'Replaces the file if it exists. Without it, an existing file is an error (ErrorId ExportTargetExists) and is left as it is.'
        ShardSize = 'Writes sharded safetensors into the folder -Path, each shard holding at most this many bytes of tensor data (PowerShell''s 2GB is 2,147,483,648 bytes). Without -Force, a folder that already holds model.safetensors, an index or shards is an error (ExportTargetExists); with it, shards the new checkpoint does not use are removed.'
        PassThru = 'Writes a System.IO.FileInfo for the written file to the pipeline. By default nothing is written.'
        WhatIf   = 'Shows what would be written (the number of tensors, their size in bytes, and the format) without writing the file.'
        Confirm  = 'Asks for confirmation before writing the file. The cmdlet''s ConfirmImpact is Medium, so it does not ask unless -Confirm is given or $ConfirmPreference is Medium or Low.'
    }

    Inputs      = @{
        'TorchSharp.torch.nn.Module' = 'The model (-Model).'
    }

    Outputs     = @(
        @{ Type = 'None'; Description = 'By default, Export-InitWeights writes nothing to the pipeline.' }
        @{ Type = 'System.IO.FileInfo'; Description = 'With -PassThru, the written file (with -ShardSize, the index, or model.safetensors when there is one shard).' }
    )

    Notes       = @(
        'Errors are ErrorRecord objects with a stable ErrorId (ExportTargetExists, UnsupportedFormat, ExportFailed) and the file path as TargetObject.'
        'Buffers such as BatchNorm''s running_mean and running_var are part of the state dict and are exported too.'
    )

    Examples    = @(
        @{
            Title   = 'Save an initialized ResNet stem as a .pth checkpoint'
            Code    = @'
$stem = New-InitModel -Config @{
    type = 'Module'; class_name = 'Stem'
    init_cfg = @(
        @{ type = 'Kaiming'; layer = 'Conv2d' }
        @{ type = 'Constant'; val = 1; layer = '_BatchNorm' }
    )
    modules = [ordered]@{
        conv1 = @{ type = 'Conv2d'; in_channels = 3; out_channels = 16
                   kernel_size = 7; stride = 2; padding = 3
                   bias = $false }
        bn1   = @{ type = 'BatchNorm2d'; num_features = 16 }
    }
}
Invoke-InitWeights -Model $stem -Seed 0
$file = Join-Path ([IO.Path]::GetTempPath()) "stem-$PID.pth"
try {
    Export-InitWeights -Model $stem -Path $file -WhatIf
    Export-InitWeights -Model $stem -Path $file -PassThru |
        Select-Object Name, Length
}
finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
'@
            Remarks = 'In Python, torch.load(path) returns the state dict, with the keys conv1.weight, bn1.weight, bn1.bias, bn1.running_mean, bn1.running_var and bn1.num_batches_tracked. -WhatIf first shows what would be written: What if: Performing the operation "Export 6 tensors (9,672 bytes) of Stem as PyTorch" on target "/tmp/stem-<PID>.pth".'
        }
        @{
            Title   = 'Round trip: load only the backbone with prefix'
            Code    = @'
$backbone = @{ type = 'Sequential'; modules = @(
    @{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3}
    @{ type = 'BatchNorm2d'; num_features = 8 }
) }
$detector = New-InitModel -Config @{
    type = 'Module'; class_name = 'Detector'
    modules = [ordered]@{
        backbone = $backbone
        head     = @{ type = 'Conv2d'; in_channels = 8; out_channels = 9
                      kernel_size = 1 }
    }
}
$normal = @{ type = 'Normal'; std = 0.01; layer = 'Conv2d' }
Invoke-InitWeights -Model $detector -InitCfg $normal -Seed 0
$file = Join-Path ([IO.Path]::GetTempPath()) "detector-$PID.safetensors"
try {
    Export-InitWeights -Model $detector -Path $file -Force
    $fresh = New-InitModel -Config $backbone
    $pretrained = @{ type = 'Pretrained'; checkpoint = $file
                     prefix = 'backbone.' }
    Invoke-InitWeights -Model $fresh -InitCfg $pretrained
    Get-InitReport -Model $fresh | Format-Table Name, Initializer, Mean
}
finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
'@
            Remarks = 'prefix=''backbone.'' loads only the keys under backbone., with the prefix removed, as MMDetection configs load a pretrained backbone from a detector checkpoint. The report shows Pretrained for every parameter, with the values of the detector''s backbone.'
        }
        @{
            Title   = 'Export several models; refuse to overwrite a file'
            Code    = @'
$dir = Join-Path ([IO.Path]::GetTempPath()) "initcfg-export-$PID"
$null = New-Item -ItemType Directory -Path $dir -Force
try {
    $cls = @{ type = 'Normal'; std = 0.01; bias_prob = 0.01
             layer = 'Linear' }
    foreach ($i in 1..2) {
        $head = New-InitModel -Config @{
            type = 'Linear'; in_features = 16; out_features = 4 }
        Invoke-InitWeights -Model $head -InitCfg $cls -Seed $i
        Export-InitWeights -Model $head -Path (Join-Path $dir "head$i.dat")
    }
    $again = Join-Path $dir 'head1.dat'
    Export-InitWeights -Model $head -Path $again -ErrorVariable failed `
        -ErrorAction SilentlyContinue
    $failed[0].FullyQualifiedErrorId
    Get-ChildItem -LiteralPath $dir | Select-Object Name, Length
}
finally { Remove-Item -LiteralPath $dir -Recurse -Force }
'@
            Remarks = 'Each head is initialized with its own seed and written to its own TorchSharp .dat file. Writing head1.dat again fails with ExportTargetExists,InitCfg.Cmdlets.ExportInitWeightsCommand and leaves the file as it is; add -Force to replace it.'
        }
        @{
            Title   = 'Shard a model as Hugging Face does, then load the folder back'
            Code    = @'
$mlp = @{ type = 'Sequential'; modules = @(
    @{ type = 'Linear'; in_features = 64; out_features = 64 }
    @{ type = 'Linear'; in_features = 64; out_features = 64 }
) }
$model = New-InitModel -Config $mlp
$normal = @{ type = 'Normal'; layer = 'Linear' }
Invoke-InitWeights -Model $model -InitCfg $normal -Seed 0
$dir = Join-Path ([IO.Path]::GetTempPath()) "shards-$PID"
try {
    Export-InitWeights -Model $model -Path $dir -ShardSize 10KB -PassThru |
        Select-Object Name
    Get-ChildItem -LiteralPath $dir | Select-Object Name, Length
    $copy = New-InitModel -Config $mlp
    $pretrained = @{ type = 'Pretrained'; checkpoint = $dir }
    Invoke-InitWeights -Model $copy -InitCfg $pretrained
}
finally { Remove-Item -LiteralPath $dir -Recurse -ErrorAction Ignore }
'@
            Remarks = 'Each 64x64 weight is 16,384 bytes, over the 10KB limit, so it gets a shard of its own; the biases share a third. The folder holds model-00001-of-00003.safetensors to model-00003-of-00003.safetensors and model.safetensors.index.json, which -PassThru returns. The Pretrained config reads the folder (its index) back.'
        }
    )

    Links       = @('about_InitCfg', 'Invoke-InitWeights', 'Get-InitReport', 'New-InitModel')
}
