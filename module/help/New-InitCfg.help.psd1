# Help source for New-InitCfg. tools/Build-Help.ps1 (run by `build.ps1 Build`) turns the .help.psd1 files of
# this folder into out/InitCfg/en-US/InitCfg.Cmdlets.dll-Help.xml, taking the syntax and the parameter metadata
# (type, required, position, pipeline input, aliases) from the built cmdlets themselves.
# Keys: Synopsis, Description, Parameters (name -> text, or @{ Description = ...; Default = '...' }), Inputs,
# Outputs, Notes, Examples (@{ Title; Code; Remarks }), Links. A text is a string or an array of paragraphs.
# Every parameter needs a description and every cmdlet at least two examples, or the build fails.
# Examples must run as they are: tests/Pester/Help.Tests.ps1 runs each one.
@{
    Synopsis    = 'Creates init configs (MMEngine init_cfg dicts) from parameters, dictionaries or YAML/JSON files.'

    Description = @(
        'New-InitCfg creates InitCfg.Core.Initializers.InitConfig objects. Each one is an init_cfg dict of OpenMMLab MMEngine, such as dict(type=''Kaiming'', layer=''Conv2d''): an initializer type, its arguments, the layer types it applies to and, optionally, overrides for named submodules. Pass the objects to Invoke-InitWeights -InitCfg, or put them (or their ToHashtable() form) under init_cfg in a New-InitModel config.'
        'There are three ways to make configs, one per parameter set. Type: name the initializer with -Type and give its arguments with the per-initializer parameters (-Val, -Bias, -BiasProb, -Gain, -Distribution, -Mean, -Std, -A, -B, -Mode, -Nonlinearity, -Checkpoint, -Prefix, -MapLocation) or, for any other argument, -Arguments; select layers with -Layer and add overrides with -Override. With -Name, the config is itself an override, to be passed to the -Override parameter of another config. InputObject: convert a hashtable, an ordered dictionary, a PSCustomObject (for example from ConvertFrom-Json), or a list of them, written as in an MMDetection config. Path: read a .yaml, .yml or .json file that holds one config or a list of configs.'
        'Keys and arguments are MMEngine''s: type, layer, override, name inside an override, and the initializer''s own arguments (see about_InitCfg for every initializer and its defaults). Keys match case-insensitively, and bias_prob, BiasProb and biasprob are the same key. Only the arguments you give are stored; the initializer''s defaults apply when it runs.'
        'Each config is validated as it is created: an unknown type (the error names the nearest registered type), an unknown argument (the error names the nearest valid one), a missing required argument, a bias that is not a number, a bias_prob outside (0, 1), or a distribution, mode or nonlinearity outside its set is a terminating error that names the place in the config, for example init_cfg.bias_prob. Checks that need the model (do the layer names match anything, does an override name exist) are made by Invoke-InitWeights.'
        'InitConfig objects piped into New-InitCfg (Type and Path parameter sets) are written out unchanged ahead of the new config, so a pipeline of New-InitCfg commands composes a list of configs in order, as MMDetection writes init_cfg=[dict(...), dict(...)].'
        'The objects print as MMEngine prints the dict (ToString()), and convert to YAML (ToYaml()), JSON (ToJson()) and an ordered hashtable (ToHashtable()); each of these forms reads back into an equal config. Their properties are Type, Layer, Name, Override, Arguments and IsNameOnly.'
    )

    Parameters  = @{
        Model = 'A model to check the new config against, without changing it: layer names that match no module of the model give a warning naming the nearest layer type present, and an override name the model does not have is an error (OverrideNameNotFound). With -Model bound, tab completion of -Layer offers the layer types present in the model and -Name its submodule paths.'
        Type         = 'The initializer type, as registered: Constant, Xavier, Normal, TruncNormal, Uniform, Kaiming, Caffe2Xavier, Pretrained (MMEngine''s names), Orthogonal, Dirac, Eye, and any type registered by the user. Matched case-insensitively; press Tab to complete the registered names.'
        Layer        = 'The layer types the config initializes: class names (Conv2d, Linear, BatchNorm2d, GroupNorm, ...) or the names of their direct base classes as in PyTorch (_ConvNd for Conv1d/2d/3d, _BatchNorm for BatchNorm1d/2d/3d, _InstanceNorm, _ConvTransposeNd). Matched case-insensitively; press Tab to complete the registered layer types and the PyTorch base names. A config with neither -Layer nor -Override initializes nothing (Invoke-InitWeights warns). Ignored in an override, which initializes its submodule as a whole.'
        Val          = @{ Description = 'Constant: the value every weight element is set to. Required for Constant. A number.'; Default = 'None (required by Constant)' }
        Bias         = @{ Description = 'The value the bias is filled with, for every initializer but Pretrained. A number.'; Default = '0' }
        BiasProb     = @{ Description = 'A prior probability p in (0, 1) for the bias: when given, the bias is set to -log((1 - p) / p) instead of -Bias, as detection heads do for their classifier (bias_prob=0.01 gives -4.59511985013459).'; Default = 'None' }
        Gain         = @{ Description = 'Xavier and Orthogonal: the scaling factor. A number.'; Default = '1' }
        Distribution = @{ Description = 'Xavier and Kaiming: normal or uniform.'; Default = 'normal' }
        Mean         = @{ Description = 'Normal and TruncNormal: the mean of the distribution. A number.'; Default = '0' }
        Std          = @{ Description = 'Normal and TruncNormal: the standard deviation. A number.'; Default = '1' }
        A            = @{ Description = 'Uniform: the lower bound; TruncNormal: the lower cutoff (an absolute value, not in standard deviations); Kaiming: the negative slope of the rectifier (used with leaky_relu). A number.'; Default = '0 (Uniform, Kaiming); -2 (TruncNormal)' }
        B            = @{ Description = 'Uniform: the upper bound; TruncNormal: the upper cutoff (an absolute value). A number.'; Default = '1 (Uniform); 2 (TruncNormal)' }
        Mode         = @{ Description = 'Kaiming: fan_in (keeps the variance of the activations in the forward pass) or fan_out (of the gradients in the backward pass).'; Default = 'fan_out' }
        Nonlinearity = @{ Description = 'Kaiming: the nonlinearity whose gain is used, as torch.nn.init.calculate_gain names it: relu, leaky_relu, tanh, sigmoid, linear, conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, selu.'; Default = 'relu' }
        Checkpoint   = @{ Description = 'Pretrained: the checkpoint to load (.pth/.pt, .safetensors or TorchSharp .dat): a local path, or a URI (torchvision://NAME, open-mmlab://NAME, http(s)://.../FILE) looked up in the checkpoint cache folder (see the -CheckpointDir parameter of Invoke-InitWeights). Required for Pretrained.'; Default = 'None (required by Pretrained)' }
        Prefix       = @{ Description = 'Pretrained: load only the checkpoint keys under this prefix (for example backbone.), with the prefix removed.'; Default = 'None (the whole checkpoint)' }
        MapLocation  = @{ Description = 'Pretrained: the device the checkpoint''s tensors are loaded to (map_location).'; Default = 'cpu' }
        Arguments    = 'Further initializer arguments, as a hashtable of MMEngine argument names to values, for arguments that have no parameter of their own (for example @{ groups = 2 } for Dirac) or for values computed in a script. Keys given here replace the same keys given by parameters.'
        Override     = 'Overrides: configs for named submodules, each initializing its submodule as a whole (every submodule inside it that has a weight or bias, whatever its layer type). Give InitConfig objects made with New-InitCfg -Name, or dictionaries that hold name, such as @{ name = ''retina_cls''; type = ''Normal''; std = 0.01; bias_prob = 0.01 }. An override that holds only name, such as @{ name = ''fc'' }, uses this config''s own type and arguments.'
        Name         = 'Makes the new config an override for the submodule of this name, to be passed to another config''s -Override. Dotted names reach deeper submodules (head.retina_cls). Whether the name exists is checked by Invoke-InitWeights.'
        InputObject  = 'A config written as MMDetection writes it: a hashtable, an ordered dictionary or a PSCustomObject with type and the other keys, an InitConfig, a list of these, or config text: Python as InitCfg prints it ("dict(type=''Normal'', layer=''Conv2d'', std=0.01)", a list of dicts, or "init_cfg = dict(...)"), JSON or YAML. Lists and InitConfig objects may also come down the pipeline; each input is converted and written out.'
        Path         = 'The path of a .py (MMEngine config, read without running Python), .yaml, .yml or .json file that holds one config (a mapping) or a list of configs, with the same keys as a hashtable config, or a whole config whose init_cfg is taken (see -Key). Relative paths are resolved against the current PowerShell location. Tab completion offers folders and config files.'
        Key          = @{
            Description = 'The dotted key of the init config in the -Path file, such as model.bbox_head.init_cfg or model.backbone.init_cfg. A key that does not exist is an error (ConfigKeyNotFound). Tab completion offers the keys of the file.'
            Default     = 'The file''s top-level init_cfg when it has one and no type; otherwise the whole file'
        }
        Previous     = 'InitConfig objects that came before this one, normally from the pipeline. They are written out unchanged, ahead of the new config, so that New-InitCfg ... | New-InitCfg ... composes a list in order. Only InitConfig objects bind here; pipe hashtables to the InputObject parameter set instead.'
    }

    Inputs      = @(
        @{ Type = 'InitCfg.Core.Initializers.InitConfig'; Description = 'Configs piped into the Type or Path parameter sets are passed through ahead of the new config (-Previous).' }
        @{ Type = 'System.Collections.IDictionary'; Description = 'Hashtables and ordered dictionaries piped in are converted (-InputObject). So are PSCustomObject objects and lists of any of these.' }
    )

    Outputs     = @{
        'InitCfg.Core.Initializers.InitConfig' = 'One object per config ([InitCfg.InitConfig] in PowerShell): the piped-in configs first, then the new ones. A list input or file gives one object per item.'
    }

    Notes       = @(
        'The numeric parameters (-Val, -Bias, -BiasProb, -Gain, -Mean, -Std, -A, -B) take numbers. PowerShell passes a bare negative number such as -A -0.1 to them as text; New-InitCfg reads number-shaped text as the number, so -A -0.1 and -A (-0.1) give the same config. Other text is refused.'
        'Errors are terminating ErrorRecord objects with a stable ErrorId (UnknownInitializerType, UnknownArgument, MissingArgument, InvalidArgumentValue, ConfigNotMapping, ...), an ErrorCategory and the place in the config as TargetObject.'
        'The semantics of a config (layer matching, overrides, order, priorities) are described in about_InitCfg.'
    )

    Examples    = @(
        @{
            Title   = 'Paste a config as MMDetection writes it, or take it from a .py config'
            Code    = @'
$text = "dict(type='Normal', layer='Conv2d', std=0.01, " +
    "override=dict(type='Normal', name='retina_cls', bias_prob=0.01))"
New-InitCfg -InputObject $text
$file = Join-Path ([IO.Path]::GetTempPath()) "initcfg-head-$PID.py"
try {
    Set-Content -LiteralPath $file -Value @"
std = 0.01
model = dict(type='RetinaNet', bbox_head=dict(type='RetinaHead',
    init_cfg=dict(type='Normal', layer='Conv2d', std=std)))
"@
    New-InitCfg -Path $file -Key model.bbox_head.init_cfg
}
finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
'@
            Remarks = 'The pasted text is read as Python (without running Python) and gives the same InitConfig as the hashtable @{ type = ''Normal''; layer = ''Conv2d''; std = 0.01; override = @{ ... } }. -Key picks the init_cfg of the bbox head out of the .py config; its std comes from the variable std.'
        }
        @{
            Title   = 'ResNet backbone: Kaiming + Constant for _BatchNorm'
            Code    = @'
$cfg = New-InitCfg -Type Kaiming -Layer Conv2d |
       New-InitCfg -Type Constant -Val 1 -Layer _BatchNorm, GroupNorm
$cfg | ForEach-Object ToString
'@
            Remarks = @(
                'The second New-InitCfg passes the piped Kaiming config through ahead of its own, so $cfg is the list MMDetection''s ResNet uses as its default init_cfg: Kaiming for every Conv2d, Constant 1 for every BatchNorm and GroupNorm. Output:'
                "dict(type='Kaiming', layer='Conv2d')`ndict(type='Constant', val=1, layer=['_BatchNorm', 'GroupNorm'])"
                '_BatchNorm matches BatchNorm1d, BatchNorm2d and BatchNorm3d, whose direct base class it is in PyTorch.'
            )
        }
        @{
            Title   = 'RetinaNet head: a bias_prob override on the classifier'
            Code    = @'
$cls = New-InitCfg -Type Normal -Std 0.01 -BiasProb 0.01 -Name retina_cls
$head = New-InitCfg -Type Normal -Std 0.01 -Layer Conv2d -Override $cls
$head.ToString()
'@
            Remarks = @(
                'The init_cfg of MMDetection''s RetinaHead: Normal(std=0.01) for every Conv2d, then the override initializes the submodule retina_cls as a whole, with its bias set to -log((1 - 0.01) / 0.01) = -4.59511985013459. Output:'
                "dict(type='Normal', std=0.01, layer='Conv2d', override=dict(type='Normal',`n    std=0.01, bias_prob=0.01, name='retina_cls'))"
                '(one line in the real output)'
            )
        }
        @{
            Title   = 'Configs written as in an MMDetection config file'
            Code    = @'
$cfg = New-InitCfg -InputObject @(
    @{ type = 'Xavier'; layer = 'Conv2d'; distribution = 'uniform' }
    @{ type = 'Normal'; layer = 'Linear'; std = 0.01; bias = 0 }
)
$cfg | Format-Table
'@
            Remarks = 'A list of hashtables gives one InitConfig per item; the table view shows Type, Layer, Name and the dict text. Keys are case-insensitive: @{ Type = ''Xavier''; Layer = ''Conv2d'' } is the same config.'
        }
        @{
            Title   = 'Read configs from a YAML file'
            Code    = @'
$file = Join-Path ([IO.Path]::GetTempPath()) "init_cfg-$PID.yaml"
Set-Content -LiteralPath $file -Value @"
- type: Kaiming
  layer: Conv2d
  mode: fan_in
- type: Constant
  val: 1
  bias: 0
  layer: [_BatchNorm, GroupNorm]
"@
try {
    New-InitCfg -Type Normal -Std 0.01 -Layer Linear |
        New-InitCfg -Path $file |
        ForEach-Object ToString
}
finally { Remove-Item -LiteralPath $file }
'@
            Remarks = @(
                'The piped Normal config comes first, then the two configs of the file. A .json file with the same structure works the same way. Output:'
                "dict(type='Normal', std=0.01, layer='Linear')`ndict(type='Kaiming', layer='Conv2d', mode='fan_in')`ndict(type='Constant', val=1, bias=0, layer=['_BatchNorm', 'GroupNorm'])"
            )
        }
        @{
            Title   = 'Negative numbers, -Arguments, YAML/JSON/hashtable'
            Code    = @'
$vit = New-InitCfg -Type TruncNormal -Layer Linear `
                   -Std 0.02 -A -0.04 -B 0.04
$vit.ToYaml()
$dirac = New-InitCfg -Type Dirac -Layer Conv2d -Arguments @{ groups = 1 }
$dirac.ToJson()
New-InitCfg -InputObject $vit.ToHashtable() | ForEach-Object ToString
'@
            Remarks = 'TruncNormal with absolute bounds [-0.04, 0.04], as vision transformers use it; -A -0.04 and -A (-0.04) are the same (see NOTES). -Arguments carries arguments that have no parameter of their own. ToHashtable() gives an ordered hashtable that New-InitCfg -InputObject (or an init_cfg key in a New-InitModel config) reads back into the same config.'
        }
    )

    Links       = @('about_InitCfg', 'Invoke-InitWeights', 'New-InitModel', 'Get-InitReport', 'Export-InitWeights')
}
