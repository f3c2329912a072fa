# Help source for Export-InitReport (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Writes a model''s init report to a .json, .csv, .md, .log (MMEngine) or .html file, atomically.'

    Description = @(
        'Export-InitReport writes the init report of a TorchSharp model (what Get-InitReport returns: per parameter its name, shape, MMEngine init-info text, initializer, arguments, module and config path, and mean, std, min and max after init) to a file. The extension picks the format.'
        '.json holds the records (Name, Shape, InitInfo, Initializer, Arguments, ModulePath, ConfigPath, Written, Elements, Mean, Std, Min, Max), the checkpoint loads of the last Invoke-InitWeights, its warnings and the modules that carry an init_cfg. .csv holds one row per parameter. .md holds Markdown tables to paste into a pull request. .log holds exactly MMEngine''s init-info dump (the text of Get-InitReport -AsLog), so it can be diffed against an MMEngine log.'
        '.html writes one self-contained page that needs no network: tables of the parameters per initializer, the modules with an init_cfg (printed as MMEngine prints a config), the warnings and the checkpoint loads, then for each weight tensor written by an initializer a histogram of its values with the distribution the initializer draws from drawn over it (a normal curve for Normal, Kaiming and Xavier normal; a truncated normal for TruncNormal; a flat line for Uniform, Kaiming and Xavier uniform and Caffe2Xavier; a dashed line for Constant). For a big model the page stays quick to open: at most 60 charts (the largest tensors; the page lists the others) and at most 100,000 sampled values per histogram, with a fixed seed.'
        'The file is written atomically: it appears complete or not at all. An existing file is not replaced unless -Force is given. Problems are non-terminating errors, one per model.'
    )

    Parameters  = @{
        Model    = 'The TorchSharp model (a torch.nn.Module) to report on, normally after Invoke-InitWeights. May come down the pipeline.'
        Path     = 'The file to write. Its extension picks the format: .json, .csv, .md, .log or .html (.htm). Relative paths are resolved against the current PowerShell location; the folder must exist.'
        Force    = 'Replaces the file if it exists. Without it, an existing file is an error (ErrorId ExportTargetExists) and is left as it is.'
        PassThru = 'Writes a System.IO.FileInfo for the written file to the pipeline. By default nothing is written.'
        WhatIf   = 'Shows what would be written (the model, its number of parameter tensors and the format) without writing the file.'
        Confirm  = 'Asks for confirmation before writing the file. The cmdlet''s ConfirmImpact is Medium, so it does not ask unless -Confirm is given or $ConfirmPreference is Medium or Low.'
    }

    Inputs      = @{
        'TorchSharp.torch.nn.Module' = 'The model (-Model).'
    }

    Outputs     = @(
        @{ Type = 'None'; Description = 'By default, Export-InitReport writes nothing to the pipeline.' }
        @{ Type = 'System.IO.FileInfo'; Description = 'With -PassThru, the written file.' }
    )

    Notes       = @(
        'Errors are ErrorRecord objects with a stable ErrorId (ExportTargetExists, UnsupportedFormat, ExportFailed) and the file path as TargetObject.'
        'The expected distribution is recomputed from the record''s initializer, its arguments (MMEngine''s defaults for those not given) and the tensor''s shape, with the fan and gain formulas of torch.nn.init. Pretrained, Orthogonal, Dirac, Eye and user-defined initializers get a histogram without a curve.'
        'The .json, .csv and .md statistics are of the whole tensor; only the .html histograms are drawn from a sample.'
    )

    Examples    = @(
        @{
            Title   = 'An HTML page of weight histograms for a small detector head'
            Code    = @'
$head = New-InitModel -Config @{
    type = 'Module'; class_name = 'RetinaHead'
    init_cfg = @{ type = 'Normal'; std = 0.01; layer = 'Conv2d'
                  override = @{ name = 'retina_cls'; type = 'Normal'
                                std = 0.01; bias_prob = 0.01 } }
    modules = [ordered]@{
        cls_conv   = @{ type = 'Conv2d'; in_channels = 32
                        out_channels = 32; kernel_size = 3; padding = 1 }
        retina_cls = @{ type = 'Conv2d'; in_channels = 32
                        out_channels = 9; kernel_size = 3; padding = 1 }
    }
}
Invoke-InitWeights -Model $head -Seed 0
$file = Join-Path ([IO.Path]::GetTempPath()) "head-$PID.html"
try {
    Export-InitReport -Model $head -Path $file -PassThru |
        Select-Object Name, Length
}
finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
'@
            Remarks = 'The page shows one table of parameters per initializer, the init_cfg of RetinaHead as MMEngine prints it, and two histograms (cls_conv.weight and retina_cls.weight), each with the N(0, 0.01²) density drawn over it. Open it in any browser; it needs no network.'
        }
        @{
            Title   = 'A Markdown table for a pull request, and the MMEngine log to diff'
            Code    = @'
$net = New-InitModel -Config @{
    type = 'Sequential'; modules = @(
        @{ type = 'Conv2d'; in_channels = 3; out_channels = 8
           kernel_size = 3 }
        @{ type = 'BatchNorm2d'; num_features = 8 }
    ) }
Invoke-InitWeights -Model $net -Seed 0 -InitCfg @(
    @{ type = 'Kaiming'; layer = 'Conv2d' }
    @{ type = 'Constant'; val = 1; layer = '_BatchNorm' }
)
$dir = Join-Path ([IO.Path]::GetTempPath()) "initcfg-report-$PID"
$null = New-Item -ItemType Directory -Path $dir -Force
try {
    Export-InitReport -Model $net -Path (Join-Path $dir 'init.md')
    Export-InitReport -Model $net -Path (Join-Path $dir 'init.log')
    Get-Content -Raw (Join-Path $dir 'init.md')
    $log = Get-Content -Raw (Join-Path $dir 'init.log')
    $log -eq (Get-InitReport $net -AsLog)
}
finally { Remove-Item -LiteralPath $dir -Recurse -Force }
'@
            Remarks = 'init.md holds a table per initializer and a table of every parameter (name, shape, initializer, mean, std, min, max, init info) ready to paste into a pull request. init.log is MMEngine''s init-info dump, the same text as Get-InitReport -AsLog, so the last line prints True.'
        }
        @{
            Title   = 'JSON for scripts, and refusing to overwrite'
            Code    = @'
$fc = New-InitModel -Config @{
    type = 'Linear'; in_features = 16; out_features = 4 }
$xavier = @{ type = 'Xavier'; layer = 'Linear' }
Invoke-InitWeights -Model $fc -InitCfg $xavier -Seed 0
$file = Join-Path ([IO.Path]::GetTempPath()) "fc-$PID.json"
try {
    Export-InitReport -Model $fc -Path $file
    $report = Get-Content -Raw $file | ConvertFrom-Json
    $report.Parameters | Format-Table Name, Initializer, Mean, Std
    Export-InitReport -Model $fc -Path $file -ErrorVariable failed `
        -ErrorAction SilentlyContinue
    $failed[0].FullyQualifiedErrorId
}
finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
'@
            Remarks = 'The JSON file parses back with ConvertFrom-Json: Parameters holds one object per parameter, Loads the checkpoint loads, Warnings the warnings of the last Invoke-InitWeights and Configs the modules with an init_cfg. Writing the file again fails with ExportTargetExists,InitCfg.Cmdlets.ExportInitReportCommand; add -Force to replace it.'
        }
    )

    Links       = @('about_InitCfg', 'Get-InitReport', 'Invoke-InitWeights', 'Export-InitWeights')
}
