# Help source for Get-InitReport (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Reports, per parameter, which initializer wrote it and its statistics after init.'

    Description = @(
        'Get-InitReport writes one InitCfg.Core.Reports.ParameterInitRecord per parameter of the model, in named_parameters order: Name (dotted, as named_parameters gives it), Shape and ShapeText, InitInfo, Initializer (the type, such as Kaiming), Arguments (as given in the config), ModulePath (the module whose init_cfg did it; empty for the model itself), ConfigPath (where in the configs, such as bbox_head.init_cfg[0].override[0]), Written, Elements, and Mean, Std, Min and Max of the tensor now. The default view is a table of Name, Shape and InitInfo; Format-Table -View Statistics shows Name, Shape, Initializer, Mean, Std, Min and Max with three significant digits, and Format-List shows every field, the arguments in dict(...) form.'
        'InitInfo uses MMEngine''s exact texts, so logs can be diffed against an MMEngine run: KaimingInit: a=0, mode=fan_out, nonlinearity=relu, distribution =normal, bias=0 (sic, MMEngine''s spacing), ConstantInit: val=1, bias=0, Initialized by user-defined `init_weights` in CLASS, and, for a parameter that Invoke-InitWeights did not write, The value is the same before and after calling `init_weights` of CLASS. Numbers print as Python prints them.'
        'Unlike MMEngine, which relabels a parameter only when its mean changed, the record is exact: it names the last initializer that wrote the tensor, even when the mean did not change.'
        'With -AsLog, Get-InitReport writes one string instead: MMEngine''s log text (Name of parameter - Initialization information, then NAME - torch.Size([...]): and the init info for each parameter). With -Summary, it writes one InitCfg.Core.Reports.InitSummaryRow per initializer: how many tensors and elements it wrote; parameters no initializer wrote are counted under (none). With -LoadReport, it writes what the Pretrained configs of the last Invoke-InitWeights loaded: the loaded keys, the keys missing in the checkpoint, the unexpected ones and the shape-mismatched ones.'
    )

    Parameters  = @{
        Model   = 'The TorchSharp model (a torch.nn.Module) to report on, usually after Invoke-InitWeights. May come down the pipeline; each model piped in gets its own report.'
        Module  = 'Reports only the parameters of this submodule: a dotted path such as backbone.layer1 (tab completion offers the model''s submodule paths). A path the model does not have is an error (ModuleNotFound). Works with -Summary too.'
        AsLog   = 'Writes MMEngine''s init-info log text, as one string, instead of records.'
        Summary = 'Writes one row per initializer (Initializer, Tensors, Elements) instead of one record per parameter. The tensors nothing wrote form the row (none); on a model built without New-InitModel -Seed that row is (none: unseeded constructor values), since no seed reproduces them.'
        LoadReport = 'Writes the checkpoint loads of the last Invoke-InitWeights on the model instead of records: one InitCfg.Core.Checkpoints.LoadReport per Pretrained config that ran, with Checkpoint, File, Prefix, ModulePath, and the Loaded, Missing (in the checkpoint), Unexpected (in the model) and ShapeMismatched keys; IsComplete is true when every key matched.'
    }

    Inputs      = @{
        'TorchSharp.torch.nn.Module' = 'The model (-Model).'
    }

    Outputs     = @(
        @{ Type = 'InitCfg.Core.Reports.ParameterInitRecord'; Description = 'By default: one record per parameter ([InitCfg.ParameterInitRecord] in PowerShell).' }
        @{ Type = 'System.String'; Description = 'With -AsLog: MMEngine''s log text.' }
        @{ Type = 'InitCfg.Core.Reports.InitSummaryRow'; Description = 'With -Summary: one row per initializer ([InitCfg.InitSummaryRow] in PowerShell).' }
        @{ Type = 'InitCfg.Core.Checkpoints.LoadReport'; Description = 'With -LoadReport: one report per checkpoint load.' }
    )

    Notes       = @(
        'Before Invoke-InitWeights has run on a model, every record has Written = $false and an empty InitInfo (the log text then says that the value is the same before and after).'
        'Std is the unbiased standard deviation (n - 1), and is empty for a one-element tensor.'
        'PowerShell 7.3 and later print a double in a table with the culture''s decimals (two, usually), so Format-Table Name, Mean, Std shows most weights as 0.00 and 0.01. Use Format-Table -View Statistics, or a calculated property with a format string: Format-Table Name, @{ Name = ''Std''; Expression = ''Std''; FormatString = ''g3'' }.'
    )

    Examples    = @(
        @{
            Title   = 'Check the classifier prior of a RetinaNet head'
            Code    = @'
$head = New-InitModel -Config @{
    type = 'Module'; class_name = 'RetinaHead'
    init_cfg = @{
        type = 'Normal'; layer = 'Conv2d'; std = 0.01
        override = @{ type = 'Normal'; name = 'retina_cls'; std = 0.01
                      bias_prob = 0.01 }
    }
    modules = [ordered]@{
        retina_cls = @{ type = 'Conv2d'; in_channels = 32; out_channels = 9
                        kernel_size = 3; padding = 1 }
        retina_reg = @{ type = 'Conv2d'; in_channels = 32
                        out_channels = 36; kernel_size = 3; padding = 1 }
    }
}
Invoke-InitWeights -Model $head -Seed 0
Get-InitReport -Model $head
Get-InitReport -Model $head |
    Where-Object Name -EQ 'retina_cls.bias' |
    Select-Object Name, Mean, ConfigPath
'@
            Remarks = 'The table lists each parameter with its shape and MMEngine init-info text. The selected record shows Mean -4.59511995315552 (the float32 value of -log(0.99 / 0.01)) and ConfigPath init_cfg[0].override[0].'
        }
        @{
            Title   = 'Summarize a backbone; find parameters no config wrote'
            Code    = @'
$backbone = New-InitModel -Config @{
    type = 'Module'; class_name = 'ResNetLike'
    init_cfg = @(
        @{ type = 'Kaiming'; layer = 'Conv2d' }
        @{ type = 'Constant'; val = 1; layer = '_BatchNorm', 'GroupNorm' }
    )
    modules = [ordered]@{
        conv1 = @{ type = 'Conv2d'; in_channels = 3; out_channels = 16
                   kernel_size = 7; stride = 2; padding = 3
                   bias = $false }
        bn1   = @{ type = 'BatchNorm2d'; num_features = 16 }
        conv2 = @{ type = 'Conv2d'; in_channels = 16; out_channels = 32
                   kernel_size = 3; padding = 1; bias = $false }
        gn2   = @{ type = 'GroupNorm'; num_groups = 4; num_channels = 32 }
        ln    = @{ type = 'LayerNorm'; normalized_shape = @(32) }
    }
}
Invoke-InitWeights -Model $backbone -Seed 0
Get-InitReport -Model $backbone -Summary | Format-Table
Get-InitReport -Model $backbone | Where-Object { -not $_.Written } |
    Format-Table -View Statistics
'@
            Remarks = @(
                'Kaiming wrote the two convolutions, and Constant the BatchNorm2d and the GroupNorm. The LayerNorm matches no layer of the config, so its parameters keep their values: -Summary counts them under (none),'
                "Initializer Tensors Elements`n----------- ------- --------`nKaiming           2    6,960`nConstant          4       96`n(none)            2       64"
                'and the second command lists them (LayerNorm''s own defaults: weight 1, bias 0). Their InitInfo is The value is the same before and after calling `init_weights` of ResNetLike.'
            )
        }
        @{
            Title   = 'Write the MMEngine log to a file, statistics to CSV'
            Code    = @'
$model = New-InitModel -Config @{ type = 'Sequential'; modules = @(
    @{ type = 'Linear'; in_features = 64; out_features = 32 }
    @{ type = 'ReLU' }
    @{ type = 'Linear'; in_features = 32; out_features = 10 }
) }
$xavier = @{ type = 'Xavier'; layer = 'Linear'; distribution = 'uniform' }
Invoke-InitWeights -Model $model -InitCfg $xavier -Seed 0
$log = Join-Path ([IO.Path]::GetTempPath()) "init-$PID.log"
$csv = Join-Path ([IO.Path]::GetTempPath()) "init-$PID.csv"
try {
    Get-InitReport -Model $model -AsLog | Set-Content -LiteralPath $log
    Get-InitReport -Model $model |
        Select-Object Name, ShapeText, Initializer, Mean, Std, Min, Max |
        Export-Csv -LiteralPath $csv -NoTypeInformation
    Get-Content -LiteralPath $log -TotalCount 4
}
finally { Remove-Item -LiteralPath $log, $csv -ErrorAction Ignore }
'@
            Remarks = @(
                'The log has MMEngine''s layout, so it can be diffed against the log of an MMEngine run. The first lines:'
                "Name of parameter - Initialization information`n`n0.weight - torch.Size([32, 64]): `nXavierInit: gain=1, distribution=uniform, bias=0"
            )
        }
        @{
            Title   = 'What did a Pretrained config load?'
            Code    = @'
$old = New-InitModel -Config @{ type = 'Sequential'; modules = @(
    @{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3}
    @{ type = 'BatchNorm2d'; num_features = 8 }
) }
$new = New-InitModel -Config @{ type = 'Sequential'; modules = @(
    @{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3}
    @{ type = 'BatchNorm2d'; num_features = 8 }
    @{ type = 'Conv2d'; in_channels = 8; out_channels = 4; kernel_size = 1}
) }
$file = Join-Path ([IO.Path]::GetTempPath()) "old-$PID.pth"
try {
    Export-InitWeights -Model $old -Path $file -Force
    $cfg = @(
        @{ type = 'Normal'; std = 0.01; layer = 'Conv2d' }
        @{ type = 'Pretrained'; checkpoint = $file }
    )
    Invoke-InitWeights -Model $new -InitCfg $cfg -Seed 0
    Get-InitReport -Model $new -LoadReport |
        Format-List Loaded, Missing, Unexpected, IsComplete
}
finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
'@
            Remarks = 'The checkpoint has no weights for the new 1x1 convolution, so Invoke-InitWeights warns (init_cfg[1]: missing keys in source state_dict: 2.weight, 2.bias, as MMEngine logs it), and the load report shows it: Missing lists 2.weight and 2.bias, which keep the Normal(std=0.01) values, and IsComplete is False. The other keys (including the BatchNorm buffers) are in Loaded.'
        }
    )

    Links       = @('about_InitCfg', 'Invoke-InitWeights', 'New-InitModel')
}
