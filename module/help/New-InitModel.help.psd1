# Help source for New-InitModel (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Builds a TorchSharp model from an MMDetection-style config (a dictionary, config text, or a .py/YAML/JSON file).'

    Description = @(
        'New-InitModel builds a TorchSharp model (a torch.nn.Module) from a config written as MMDetection writes model configs: every node is a dictionary with a type, the constructor arguments of that type under PyTorch''s names and defaults, and, optionally, an init_cfg. The config is a hashtable or ordered dictionary, a PSCustomObject, or the path of a .yaml, .yml or .json file with the same structure.'
        'Layers: Conv1d, Conv2d, Conv3d, ConvTranspose1d/2d/3d, Linear, BatchNorm1d/2d/3d, GroupNorm, LayerNorm, InstanceNorm1d/2d/3d, Embedding, MultiheadAttention (PyTorch''s layout: out_proj is a Linear child), TransformerEncoderLayer, TransformerDecoderLayer, and the parameterless ReLU, GELU, SiLU, Sigmoid, Tanh, Identity, Dropout, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d and Flatten. Arguments are PyTorch''s: in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias (a bool here), in_features, out_features, num_features, eps, momentum, affine, num_groups, num_channels, normalized_shape, num_embeddings, embedding_dim, embed_dim, num_heads, p, output_size, ... The error for an unknown type lists every registered type.'
        'Architectures: resnet18, resnet34, resnet50, resnet101 and resnet152 are torchvision''s models, with torchvision''s parameter names so torchvision checkpoints load (arguments num_classes = 1000, zero_init_residual = $false). ResNet is MMDetection''s backbone, with depth (18, 34, 50, 101 or 152) and its other arguments as MMDetection writes them (in_channels, base_channels, num_stages, strides, dilations, style, zero_init_residual; out_indices, frozen_stages, norm_eval, norm_cfg and with_cp are accepted and ignored); without an init_cfg of its own it carries MMDetection''s default one: Kaiming for Conv2d, Constant 1 for _BatchNorm (MMDetection also names GroupNorm, which this backbone never has), and, with zero_init_residual (the default), 0 for the last norm of each block.'
        'Transformer bricks of MMCV and MMDetection, under their type names and arguments: mmcv.MultiheadAttention (MMCV''s wrapper: attn, proj_drop, dropout_layer), FFN, AdaptivePadding, PatchEmbed, PatchMerging, SinePositionalEncoding, LearnedPositionalEncoding and MultiScaleDeformableAttention (its own init_weights runs at construction, as in MMCV; its forward needs an op TorchSharp lacks).'
        'Containers take modules: a list for Sequential and ModuleList (children named 0, 1, ...), and an ordered map of child name to node for ModuleDict and Module. Module is a plain composite whose optional class_name is the class name that reports and layer matching use for it (default Module). Use [ordered]@{} for the modules of a Module or ModuleDict, so the children keep the order you write them in: the order of registration is the order in which Invoke-InitWeights visits them.'
        'An init_cfg on any node is stored on the module built from it, and Invoke-InitWeights applies it there: a child''s init_cfg runs after its parents'' configs and wins. Problems in an init_cfg found while building (an unknown initializer type, for example) are reported as warnings; Invoke-InitWeights will refuse such a config.'
        'The layers are created with TorchSharp''s default initialization (PyTorch''s reset_parameters). -Seed draws those values from a generator of the build''s own, seeded as torch.manual_seed(Seed) before building would seed it in PyTorch, so that initialization is reproducible and equal in parallel runspaces (ForEach-Object -Parallel). Without -Seed the values come from the process''s shared generator, and a later Invoke-InitWeights -Seed warns that the tensors no init_cfg writes are not reproducible.'
    )

    Parameters  = @{
        Config = 'The model config: a hashtable, an ordered dictionary or a PSCustomObject (a node with type, its arguments, and optionally init_cfg and modules); config text (Python such as "dict(type=''Linear'', in_features=4, out_features=2)" or "model = dict(...)", JSON or YAML: a string that spans lines or starts like a dict, a list, Python or a YAML mapping); or the path of a .py, .yaml, .yml or .json file (of a .py file, its model is built). Relative paths are resolved against the current PowerShell location. Configs may come down the pipeline; each one builds one model.'
        Path   = 'A config file: an MMEngine .py config (its _base_ files are read too, without running Python), a .yaml, .yml or .json file. Of a .py file, the model key is built unless -Key names another. Relative paths are resolved against the current PowerShell location. Tab completion offers folders and config files.'
        Key    = @{
            Description = 'The dotted key of the model config in the -Path file, such as model or model.backbone. A key that does not exist is an error (ConfigKeyNotFound). Tab completion offers the keys of the file.'
            Default     = 'model for a .py file; the whole file otherwise'
        }
        Seed   = @{
            Description = 'Seed of the generator the layers'' constructors draw their default values from (the values torch.manual_seed(Seed) followed by building gives in PyTorch), so the layers'' default initialization is reproducible, serially and in parallel runspaces alike. The process''s global generator is left as it was.'
            Default     = 'None (the generator is not reseeded)'
        }
        Lazy   = 'Builds a lazy model: on libtorch''s meta device, so every parameter and buffer has its name, dtype and shape but no storage, and a model larger than memory (a 7B-parameter Llama) is built in moments. Get-InitPlan, Get-InitReport and the model views work on it (its Size shows "(lazy)"); Invoke-InitWeights initializes it only into a checkpoint folder (-OutputPath), and what needs values (Export-InitWeights, forward, an .html report) is a ModelIsLazy error. Chosen over -Device meta because meta is the only device this needs and the switch names what it does.'
    }

    Inputs      = @(
        @{ Type = 'System.Collections.IDictionary'; Description = 'A model config (-Config).' }
        @{ Type = 'System.String'; Description = 'The path of a .yaml, .yml or .json model config (-Config).' }
    )

    Outputs     = @{
        'TorchSharp.torch.nn.Module' = 'The model. A Module node is an InitCfg.Core.Modules.ConfigModule; layers are TorchSharp''s own classes (TorchSharp.Modules.Conv2d, ...).'
    }

    Notes       = @(
        'Build errors (an unknown type, a missing or wrong constructor argument, an unreadable file) are terminating ErrorRecord objects with a stable ErrorId (UnknownModuleType, ConfigFileNotFound, ...) and the place in the config, such as model.modules.backbone.type.'
        'The model''s parameters are float32 tensors on the CPU.'
    )

    Examples    = @(
        @{
            Title   = 'Build a model from config text or from the model of a .py config'
            Code    = @'
$text = "dict(type='Linear', in_features=16, out_features=4, " +
    "init_cfg=dict(type='Normal', std=0.01))"
$head = New-InitModel -Config $text
$head.GetType().Name
$file = Join-Path ([IO.Path]::GetTempPath()) "initcfg-model-$PID.py"
try {
    Set-Content -LiteralPath $file -Value @"
channels = [3, 8, 16]
model = dict(type='Sequential', modules=[
    dict(type='Conv2d', in_channels=i, out_channels=o, kernel_size=3)
    for i, o in zip(channels[:-1], channels[1:])])
"@
    $model = New-InitModel -Path $file
    Get-InitReport -Model $model | Select-Object Name, Shape
}
finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
'@
            Remarks = 'A string that starts like Python (or JSON, or a YAML mapping) is config text; a string ending in .py, .yaml, .yml or .json is a path. Of a .py file, New-InitModel builds the value of model: here a Sequential of two Conv2d layers (3 to 8 and 8 to 16 channels) made by a list comprehension.'
        }
        @{
            Title   = 'A ResNet bottleneck with MMDetection''s init_cfg'
            Code    = @'
$conv3x3 = { param($in, $out)
    @{ type = 'Conv2d'; in_channels = $in; out_channels = $out
       kernel_size = 3; padding = 1; bias = $false } }
$model = New-InitModel -Config @{
    type = 'Module'; class_name = 'ResNetLike'
    init_cfg = @(
        @{ type = 'Kaiming'; layer = 'Conv2d' }
        @{ type = 'Constant'; val = 1; layer = '_BatchNorm' }
    )
    modules = [ordered]@{
        conv1  = & $conv3x3 3 16
        bn1    = @{ type = 'BatchNorm2d'; num_features = 16 }
        relu   = @{ type = 'ReLU' }
        layer1 = @{ type = 'Sequential'; modules = @(
            @{
                type = 'Module'; class_name = 'BasicBlock'
                # zero_init_residual: the block's last norm starts at 0
                init_cfg = @{ type = 'Constant'; val = 0
                              override = @{ name = 'bn2' } }
                modules = [ordered]@{
                    conv1 = & $conv3x3 16 16
                    bn1   = @{ type = 'BatchNorm2d'; num_features = 16 }
                    conv2 = & $conv3x3 16 16
                    bn2   = @{ type = 'BatchNorm2d'; num_features = 16 }
                }
            }
        ) }
    }
}
Invoke-InitWeights -Model $model -Seed 0
Get-InitReport -Model $model |
    Where-Object Name -Like '*bn*' | Format-Table Name, Mean, InitInfo
'@
            Remarks = @(
                'The configs of ResNetLike give every BatchNorm2d the weight 1; the BasicBlock''s own init_cfg runs after them (children win) and sets layer1.0.bn2 to 0. Output:'
                "Name                Mean InitInfo`n----                ---- --------`nbn1.weight          1.00 ConstantInit: val=1, bias=0`nbn1.bias            0.00 ConstantInit: val=1, bias=0`nlayer1.0.bn1.weight 1.00 ConstantInit: val=1, bias=0`nlayer1.0.bn1.bias   0.00 ConstantInit: val=1, bias=0`nlayer1.0.bn2.weight 0.00 ConstantInit: val=0, bias=0`nlayer1.0.bn2.bias   0.00 ConstantInit: val=0, bias=0"
            )
        }
        @{
            Title   = 'A RetinaNet head from a YAML file'
            Code    = @'
$file = Join-Path ([IO.Path]::GetTempPath()) "retina_head-$PID.yaml"
Set-Content -LiteralPath $file -Value @"
type: Module
class_name: RetinaHead
init_cfg:
  type: Normal
  layer: Conv2d
  std: 0.01
  override: {type: Normal, name: retina_cls, std: 0.01, bias_prob: 0.01}
modules:
  cls_convs:
    type: ModuleList
    modules:
      - {type: Conv2d, in_channels: 32, out_channels: 32, kernel_size: 3}
  retina_cls:
    {type: Conv2d, in_channels: 32, out_channels: 9, kernel_size: 3}
  retina_reg:
    {type: Conv2d, in_channels: 32, out_channels: 36, kernel_size: 3}
"@
try {
    $head = New-InitModel -Config $file
    Invoke-InitWeights -Model $head -Seed 0
    Get-InitReport -Model $head -AsLog
}
finally { Remove-Item -LiteralPath $file }
'@
            Remarks = 'YAML mappings keep the order they are written in. examples/retinanet_like.yaml in the repository is a whole RetinaNet-like detector (backbone, neck and head) in this form.'
        }
        @{
            Title   = 'MMDetection''s ResNet backbone, default init_cfg'
            Code    = @'
$resnet = New-InitModel -Config @{
    type = 'ResNet'; depth = 18; base_channels = 16
}
Invoke-InitWeights -Model $resnet -Seed 0
Get-InitReport -Model $resnet -Summary
'@
            Remarks = 'type = ''ResNet'' with depth builds the backbone as MMDetection does, carrying MMDetection''s default init_cfg (Kaiming for Conv2d, Constant 1 for _BatchNorm, zero_init_residual). type = ''resnet50'' (and the other depths) builds torchvision''s model instead.'
        }
        @{
            Title   = 'Reproducible defaults, and configs from the pipeline'
            Code    = @'
$config = @{ type = 'Sequential'; modules = @(
    @{ type = 'Linear'; in_features = 8; out_features = 16 }
    @{ type = 'LayerNorm'; normalized_shape = @(16) }
) }
$a = New-InitModel -Config $config -Seed 7
$b = New-InitModel -Config $config -Seed 7
$pa = @($a.parameters()); $pb = @($b.parameters())
$same = foreach ($i in 0..($pa.Count - 1)) { $pa[$i].allclose($pb[$i]) }
$same -notcontains $false
$fromJson = $config | ConvertTo-Json -Depth 10 | ConvertFrom-Json
$models = $config, $fromJson | New-InitModel
$models.Count
'@
            Remarks = 'With the same -Seed, the layers'' default (PyTorch) initialization is the same: every parameter of $a is allclose to the one of $b, so the first output is True. The two configs piped in (a hashtable, and the same config as the PSCustomObject that ConvertFrom-Json gives) build two models, so the second output is 2.'
        }
        @{
            Title   = 'A lazy model: shapes without storage'
            Code    = @'
$big = New-InitModel -Lazy -Config @{
    type = 'Module'; class_name = 'Big'
    modules = [ordered]@{
        embed   = @{ type = 'Embedding'; num_embeddings = 32000
                     embedding_dim = 4096 }
        lm_head = @{ type = 'Linear'; in_features = 4096
                     out_features = 32000; bias = $false }
    }
}
$big | Format-Table ClassName, ParameterCount, Lazy
Get-InitReport -Model $big | Select-Object Name, Shape
'@
            Remarks = 'Two 32000x4096 tensors (1 GB of float32) take no memory: the model is on the meta device, so Lazy is True. Initialize it into shards with Invoke-InitWeights -OutputPath; until then the report has names and shapes, and its statistics are NaN.'
        }
    )

    Links       = @('about_InitCfg', 'Invoke-InitWeights', 'Get-InitReport', 'New-InitCfg', 'Export-InitWeights')
}
