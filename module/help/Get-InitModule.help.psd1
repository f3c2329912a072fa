# Help source for Get-InitModule (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Lists the modules of a model as a tree, as print(model) does in PyTorch, with what init_cfg sees of each.'

    Description = @(
        'Get-InitModule writes one InitCfg.Core.Walk.InitModuleInfo record per module of a TorchSharp model, parents before children in registration order (the order print(model) and named_modules use in PyTorch).'
        'Each record has Path (the dotted path that override names, Get-InitReport -Module and Get-InitPlan use; empty for the model itself, shown as <root>), Name, Depth, ClassName, LayerTypes (every name a layer filter matches the module by: its class, then its bases, such as Conv2d, _ConvNd, Convolution), Children, Parameters (elements of the parameters registered directly on the module), ParameterTensors, InitCfg (the module''s own init_cfg as MMEngine prints it, dict(...)), Initialized (whether init_weights has run on it) and Module (the module itself).'
        'Nothing is computed from the weights, so listing even a resnet152 is quick. For statistics use Get-InitReport.'
    )

    Parameters  = @{
        Model = 'The TorchSharp model (a torch.nn.Module) to list. May come down the pipeline.'
        Path  = @{ Description = 'Starts the listing at these submodules (dotted paths such as layer1.0 or bbox_head.retina_cls) instead of the model itself. Paths tab-complete from the model given to -Model. A path the model does not have is a non-terminating ModuleNotFound error that names the nearest path.'; Default = 'The model itself' }
        Depth = @{ Description = 'How many levels below each start module to list: 0 lists the start module only, 1 adds its children, and so on.'; Default = 'All levels' }
    }

    Inputs      = @{
        'TorchSharp.torch+nn+Module' = 'A model (-Model).'
    }

    Outputs     = @{
        'InitCfg.Core.Walk.InitModuleInfo' = 'One record per module, parents first.'
    }

    Notes       = @(
        'A model at the prompt shows its class, parameter count and size, whether it is initialized and its top-level init_cfg (the InitCfg.Module view); Format-List shows its layer types and children too. Every TorchSharp module gets the properties ClassName, ParameterCount, ParameterBytes, Initialized and InitCfg in PowerShell. InitCfg can be set on any module (hashtables, InitConfig objects or a list of them); it reads back as InitConfig objects, which print in dict(...) form and can be passed to -InitCfg as they are.'
    )

    Examples    = @(
        @{
            Title   = 'See the top of a ResNet-18: the model and its children'
            Code    = @'
$m = New-InitModel -Config @{ type = 'resnet18' }
Get-InitModule -Model $m -Depth 1
'@
            Remarks = 'Eleven rows: the ResNet itself, then conv1, bn1, relu, maxpool, layer1 to layer4, avgpool, flatten and fc, with their layer types (conv1 is Conv2d, _ConvNd, Convolution) and their own parameter counts (conv1 has 9,408, fc has 513,000).'
        }
        @{
            Title   = 'Find the modules a layer filter would reach, and where configs sit'
            Code    = @'
$model = New-InitModel -Config @{
    type = 'Module'; init_cfg = @{ type = 'Kaiming'; layer = 'Conv2d' }
    modules = [ordered]@{
        conv = @{ type = 'Conv2d'; in_channels = 3; out_channels = 8
                  kernel_size = 3 }
        norm = @{ type = 'GroupNorm'; num_groups = 2; num_channels = 8
                  init_cfg = @{ type = 'Constant'; val = 1
                                layer = 'GroupNorm' } }
    }
}
Get-InitModule $model | Where-Object LayerTypes -Contains 'Conv2d'
Get-InitModule $model | Where-Object InitCfg | Select-Object Path, InitCfg
'@
            Remarks = 'The first command lists conv; the second lists the model itself with dict(type=''Kaiming'', layer=''Conv2d'') and norm with its Constant config.'
        }
        @{
            Title   = 'List one block, with tab completion on the path'
            Code    = @'
$m = New-InitModel -Config @{ type = 'resnet50' }
Get-InitModule -Model $m -Path layer1.0 |
    Format-Table Path, ClassName, Parameters
'@
            Remarks = 'Type -Path layer1.<Tab> to cycle through the paths of the model. The listing starts at layer1.0 (a Bottleneck) and goes down to its conv1 ... downsample.1.'
        }
    )

    Links       = @('about_InitCfg', 'Get-InitReport', 'Get-InitPlan', 'New-InitModel')
}
