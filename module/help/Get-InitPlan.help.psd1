# Help source for Get-InitPlan (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Shows what Invoke-InitWeights would do, step by step, with its warnings, without changing anything.'

    Description = @(
        'Get-InitPlan validates the configs and plans init_weights exactly as Invoke-InitWeights does, then writes the plan as InitCfg.Core.Walk.InitPlanRow records instead of running it. Nothing is written to the model, and the model is not marked initialized.'
        'Each step row has Step (its order in the walk), Action (Initialize, Load for Pretrained, or UserInit for a module with its own InitWeights method), ConfigPath (where in the configs it comes from, such as bbox_head.init_cfg[0].override[0]), Initializer, InitInfo (the text the written parameters will get), Module (the module written; empty for the model itself), Parameters (the full names of the parameters written) and Elements. After the steps come the warnings, one row each with Action Warning, WarningId (LayerMatchesNothing, ConfigDoesNothing, AlreadyInitialized, CheckpointMissingKeys, ...), ConfigPath and Message.'
        'A parameter that several steps write ends with the value of the last one: children''s configs come after their parents'', overrides after their config, and Pretrained configs after the children of their module.'
    )

    Parameters  = @{
        Model         = 'The TorchSharp model (a torch.nn.Module) to plan for.'
        InitCfg       = @{ Description = 'The top-level init_cfg to plan with, as Invoke-InitWeights -InitCfg takes it: InitConfig objects, hashtables or ordered dictionaries, or a list of them. May come down the pipeline. When left out, the model''s own init_cfg (from New-InitModel) is used.'; Default = 'None (the model''s own init_cfg)' }
        IncludeUnreached = 'Also walks into modules that MMEngine''s init_weights does not reach: the contents of plain layers and of plain PyTorch containers (nn.Sequential, nn.ModuleList, nn.ModuleDict, as inside MMDetection''s FPN and heads). Without it the walk is MMEngine''s, so MMDetection models initialize to MMDetection''s bits, and each module with an init_cfg that is not reached gets a ModuleNotReached warning.'
        Force         = 'Plans as Invoke-InitWeights -Force would: modules already initialized are planned again instead of skipped.'
        Strict        = 'Makes the warnings (layer names that match nothing, configs that do nothing) errors, as Invoke-InitWeights -Strict would.'
        CheckpointDir = @{ Description = 'Folder where Pretrained checkpoint URIs (torchvision://, open-mmlab://, http(s)://) resolve. Pretrained files are read while planning, so a missing or broken file is reported here.'; Default = '$env:INITCFG_CHECKPOINT_DIR, else $env:TORCH_HOME/hub/checkpoints, else ~/.cache/torch/hub/checkpoints' }
    }

    Inputs      = @{
        'InitCfg.Core.Initializers.InitConfig' = 'Init configs (-InitCfg), for example from New-InitCfg.'
        'System.Collections.IDictionary' = 'Init configs as hashtables or ordered dictionaries (-InitCfg).'
    }

    Outputs     = @{
        'InitCfg.Core.Walk.InitPlanRow' = 'One row per step, then one per warning.'
    }

    Notes       = @(
        'Invoke-InitWeights -WhatIf prints the same plan, one line per config; Get-InitPlan returns it as objects to filter, count or test.'
        'Config errors are terminating errors with the same ErrorIds as Invoke-InitWeights (OverrideNameNotFound, UnknownInitializerType, ...).'
    )

    Examples    = @(
        @{
            Title   = 'See which parameters each config of a RetinaNet-style head would write'
            Code    = @'
$override = @{
    type = 'Normal'; name = 'retina_cls'; std = 0.01; bias_prob = 0.01
}
$conv = @{ type = 'Conv2d'; in_channels = 16; kernel_size = 3
          padding = 1 }
$head = New-InitModel -Config @{
    type = 'Module'; class_name = 'RetinaHead'
    init_cfg = @{
        type = 'Normal'; layer = 'Conv2d'; std = 0.01; override = $override
    }
    modules = [ordered]@{
        retina_cls = $conv + @{ out_channels = 9 }
        retina_reg = $conv + @{ out_channels = 36 }
    }
}
Get-InitPlan -Model $head |
    Format-Table Step, Action, ConfigPath, Module, InitInfo
'@
            Remarks = 'Three steps: Normal on retina_cls and on retina_reg (init_cfg[0]), then the override on retina_cls (init_cfg[0].override[0]) with bias=-4.59511985013459, which wins because it comes last.'
        }
        @{
            Title   = 'Guard a config in a test: no warnings, and every convolution covered'
            Code    = @'
$model = New-InitModel -Config @{ type = 'Sequential'; modules = @(
    @{ type = 'Conv2d'; in_channels = 3; out_channels = 8
       kernel_size = 3 }
    @{ type = 'BatchNorm2d'; num_features = 8 }
) }
$cfg = @(
    @{ type = 'Kaiming'; layer = 'Conv2d' }
    @{ type = 'Constant'; val = 1; layer = '_BatchNorm' }
)
$plan = Get-InitPlan -Model $model -InitCfg $cfg
$warnings = @($plan | Where-Object Action -EQ 'Warning')
if ($warnings.Count -gt 0) {
    throw "init_cfg warnings: $($warnings.Message -join '; ')"
}
$plan | Where-Object Action -NE 'Warning' | ForEach-Object Parameters
'@
            Remarks = 'Lists 0.weight, 0.bias, 1.weight and 1.bias. A layer name with a typo (Conv2D or Conv3d: names match exactly, as in MMEngine) would give a LayerMatchesNothing row and the check would throw.'
        }
    )

    Links       = @('about_InitCfg', 'Invoke-InitWeights', 'Get-InitReport')
}
