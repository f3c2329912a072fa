# Help source for Invoke-InitWeights (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Initializes a model''s weights by its init_cfg (MMEngine''s init_weights).'

    Description = @(
        'Invoke-InitWeights runs MMEngine''s BaseModule.init_weights on a TorchSharp model, such as one built by New-InitModel. Starting at the model, for each module that is not initialized yet it (1) applies the module''s own init configs, except Pretrained ones, in order; (2) recurses into every child, in registration order; (3) applies the module''s Pretrained configs last, so loaded weights win; (4) marks the module initialized. Because children come after their parents, a submodule''s own init_cfg wins over its parents'' configs.'
        'Applying one config dict means: the initializer is built from type and its arguments and run on every submodule (children before parents, as Module.apply visits them) whose layer-type names intersect layer; then each override initializes its named submodule as a whole. An initializer writes only the weight and bias parameters registered directly on a matched module. about_InitCfg describes the rules in full.'
        '-InitCfg (or the configs piped in, collected into one list in the order they arrive) becomes the model''s top-level init_cfg: it replaces any init_cfg the root node of the model carries, while the configs on submodules (from init_cfg keys of a New-InitModel config) keep their places and priority. Without -InitCfg and pipeline input, the configs the model carries are used.'
        'Everything is validated before any weight changes: every config of every module that will be visited, every override name, and every tensor an initializer cannot handle. A problem is a terminating error that lists each problem with its place in the config (for example init_cfg[1].override[0].name) and leaves the model untouched; MMEngine, in contrast, applies part of a list and then fails.'
        'A layer name that matches no module in the configured module, and a config with neither layer nor override, produce a warning that names the nearest real layer type (names match exactly, as in MMEngine: ''conv2d'' matches no layer; did you mean ''Conv2d''?); -Strict turns these warnings into errors. Calling Invoke-InitWeights again on an initialized model warns and changes nothing, unless -Force is given.'
        'A call is all or nothing. When it fails after planning (a script-block initializer that throws, a checkpoint changed between planning and loading: CheckpointChanged) or is stopped with Ctrl+C, every weight, buffer, record, load report, init_cfg and initialized mark of the model is put back as it was, from undo copies of what the run wrote (one copy of the tensors written: up to 512 MiB in memory, the rest in a temp file; freed when the call ends; UndoSpillFailed, with nothing changed, when that file cannot be written). A script block that disposes or replaces the tensors it is given is a UserInitFailed error, and the model is restored. Every cmdlet that reads or writes a model takes that model''s lock, so a call in another runspace sees it before or after a run, never halfway; the lock is not held while -Confirm waits for an answer (a run that another call committed meanwhile is refused with ModelBusy). A disposed model is a ModelDisposed error, and a module registered as its own child a ModelCycle error.'
        'With -Seed, the random initializers draw from a dedicated generator seeded as torch.manual_seed(Seed) seeds PyTorch''s, so the result is reproducible, equals PyTorch + MMEngine''s for the same seed, and does not depend on other threads. -WhatIf shows the plan (module writes per initializer) without writing; -Verbose reports how many tensors and elements were written; long runs show a progress bar. Nothing is written to the pipeline unless -PassThru is given.'
    )

    Parameters  = @{
        Model    = 'The TorchSharp model (a torch.nn.Module) to initialize, for example from New-InitModel. It is changed in place.'
        InitCfg  = @{
            Description = 'The model''s top-level init_cfg: InitConfig objects from New-InitCfg, hashtables or ordered dictionaries written as in an MMDetection config, or a list of these; anything else is an error. May come down the pipeline; all piped configs are collected and applied as one list, in order. Replaces any init_cfg the root node of the model carries.'
            Default     = 'None (the init_cfg the model carries)'
        }
        Seed     = @{
            Description = 'Seeds a dedicated random generator, as torch.manual_seed does, so the initialization is reproducible and independent of other threads. Without it, the random initializers draw from TorchSharp''s default generator. It covers only the tensors the configs write: the others keep the values the layers'' constructors drew, which are reproducible only when the model was built with New-InitModel -Seed; on a model built without one, Invoke-InitWeights -Seed warns how many tensors that leaves (UnseededDefaults).'
            Default     = 'None (TorchSharp''s default generator)'
        }
        IncludeUnreached = 'Also walks into modules that MMEngine''s init_weights does not reach: the contents of plain layers and of plain PyTorch containers (nn.Sequential, nn.ModuleList, nn.ModuleDict, as inside MMDetection''s FPN and heads). Without it the walk is MMEngine''s, so MMDetection models initialize to MMDetection''s bits, and each module with an init_cfg that is not reached gets a ModuleNotReached warning.'
        Force    = 'Initializes the model again even if it is already initialized: every module is visited as on a first call. Without it, a second call warns and changes nothing.'
        Strict   = 'Turns warnings into errors: a layer name that matches no module, and a config with neither layer nor override. The error has the ErrorId StrictWarning, and no weight changes.'
        CheckpointDir = @{
            Description = 'The folder in which the checkpoint URIs of Pretrained configs (torchvision://NAME, open-mmlab://NAME, http(s)://.../FILE) are looked up. Nothing is downloaded: a missing file is an error that says where to put it, and a URI cannot reach outside this folder. Checkpoint paths that are not URIs are used as they are (relative ones against the current PowerShell location).'
            Default     = '$env:INITCFG_CHECKPOINT_DIR, else $env:TORCH_HOME/hub/checkpoints, else ~/.cache/torch/hub/checkpoints'
        }
        OutputPath = 'A folder (created when missing) to write the initialized weights into, in Hugging Face''s sharded safetensors layout (shards and model.safetensors.index.json, as Export-InitWeights -ShardSize writes them), all or nothing. Required for a lazy model (New-InitModel -Lazy, else OutputPathRequired before any work): it is initialized module by module, each tensor written to its shard and freed, with the draws in the same order as in memory, so the files equal Export-InitWeights -ShardSize of the same model initialized in memory. A failure or Ctrl+C leaves no file behind. -Force also replaces a checkpoint already in the folder (else ExportTargetExists).'
        ShardSize = @{
            Description = 'With -OutputPath, the most bytes of tensor data in one shard (PowerShell''s 2GB is 2,147,483,648 bytes); a larger tensor gets a shard of its own.'
            Default     = '5,000,000,000 (transformers'' save_pretrained default, 5GB)'
        }
        PassThru = 'Writes the model to the pipeline after initializing it. By default nothing is written.'
        WhatIf   = 'Shows what would happen: the number of module writes per initializer and the number of warnings, without changing a weight or marking the model initialized. The configs are still validated, so a bad config is still an error.'
        Confirm  = 'Asks for confirmation before writing the weights. The cmdlet''s ConfirmImpact is Medium, so it does not ask unless -Confirm is given or $ConfirmPreference is Medium or Low.'
    }

    Inputs      = @(
        @{ Type = 'InitCfg.Core.Initializers.InitConfig'; Description = 'Configs from New-InitCfg, collected into the model''s top-level init_cfg (-InitCfg).' }
        @{ Type = 'System.Collections.IDictionary'; Description = 'Hashtables and ordered dictionaries written as init_cfg dicts, collected the same way.' }
    )

    Outputs     = @(
        @{ Type = 'None'; Description = 'By default, Invoke-InitWeights writes nothing to the pipeline.' }
        @{ Type = 'TorchSharp.torch.nn.Module'; Description = 'With -PassThru, the model.' }
    )

    Notes       = @(
        'Use Get-InitReport to see which initializer wrote each parameter, with MMEngine''s exact init-info texts; -AsLog gives MMEngine''s log text.'
        'Errors are terminating ErrorRecord objects with a stable ErrorId (UnknownInitializerType, UnknownArgument, MissingArgument, OverrideNameNotFound, OverrideMissingType, ConfigNotMapping, StrictWarning, ...), an ErrorCategory and the place in the config as TargetObject. Warnings go to the warning stream; use -WarningAction or -Strict to act on them.'
        'Differences from MMEngine, on purpose: a bad config is refused before any weight changes; the init records are exact (the last initializer that wrote a tensor, even when its mean did not change); every child is visited, so a plain container between two configured modules does not hide the inner one; layer names that match nothing and configs that do nothing give warnings (errors with -Strict); layer names match case-insensitively; override names may be dotted (head.retina_cls).'
        'A module that is already initialized is skipped with its whole subtree (unless -Force). A module class that defines its own weight-initialization method replaces the default procedure for that module, as a user-defined init_weights does in MMEngine.'
    )

    Examples    = @(
        @{
            Title   = 'RetinaNet head with a bias_prob override'
            Code    = @'
$head = New-InitModel -Config @{
    type = 'Module'; class_name = 'RetinaHead'
    modules = [ordered]@{
        cls_convs  = @{ type = 'ModuleList'; modules = @(
            @{ type = 'Conv2d'; in_channels = 16; out_channels = 16
               kernel_size = 3; padding = 1 }) }
        retina_cls = @{ type = 'Conv2d'; in_channels = 16; out_channels = 9
                        kernel_size = 3; padding = 1 }
        retina_reg = @{ type = 'Conv2d'; in_channels = 16
                        out_channels = 36; kernel_size = 3; padding = 1 }
    }
}
$initCfg = @{
    type = 'Normal'; layer = 'Conv2d'; std = 0.01
    override = @{ type = 'Normal'; name = 'retina_cls'; std = 0.01
                  bias_prob = 0.01 }
}
Invoke-InitWeights -Model $head -InitCfg $initCfg -Seed 0
Get-InitReport -Model $head | Format-Table Name, InitInfo
'@
            Remarks = @(
                'The init_cfg of MMDetection''s RetinaHead, given as a hashtable. Every Conv2d gets Normal(0, 0.01) with a zero bias; the override then initializes retina_cls as a whole, with the bias -log((1 - 0.01) / 0.01). Output:'
                "Name               InitInfo`n----               --------`ncls_convs.0.weight NormalInit: mean=0, std=0.01, bias=0`ncls_convs.0.bias   NormalInit: mean=0, std=0.01, bias=0`nretina_cls.weight  NormalInit: mean=0, std=0.01, bias=-4.59511985013459`nretina_cls.bias    NormalInit: mean=0, std=0.01, bias=-4.59511985013459`nretina_reg.weight  NormalInit: mean=0, std=0.01, bias=0`nretina_reg.bias    NormalInit: mean=0, std=0.01, bias=0"
            )
        }
        @{
            Title   = 'ResNet stem: preview with -WhatIf, then initialize'
            Code    = @'
$stem = New-InitModel -Config @{
    type = 'Sequential'; modules = @(
        @{ type = 'Conv2d'; in_channels = 3; out_channels = 16
           kernel_size = 7; stride = 2; padding = 3; bias = $false }
        @{ type = 'BatchNorm2d'; num_features = 16 }
        @{ type = 'ReLU' }
    )
}
$cfg = New-InitCfg -Type Kaiming -Layer Conv2d -Mode fan_out |
       New-InitCfg -Type Constant -Val 1 -Layer _BatchNorm, GroupNorm
$cfg | Invoke-InitWeights -Model $stem -WhatIf
$cfg | Invoke-InitWeights -Model $stem -Seed 42
Get-InitReport -Model $stem -Summary
'@
            Remarks = @(
                'The configs come down the pipeline. -WhatIf validates them and prints, per config, the modules and parameters it would write, without writing:'
                "What if: Performing the operation ""Initialize with KaimingInit: a=0, mode=fan_out, nonlinearity=relu, distribution =normal, bias=0: 1 module(s) [0], parameters 0.weight"" on target ""Sequential init_cfg[0]"".`nWhat if: Performing the operation ""Initialize with ConstantInit: val=1, bias=0: 1 module(s) [1], parameters 1.weight, 1.bias"" on target ""Sequential init_cfg[1]""."
                'The second call initializes the stem: _BatchNorm matches BatchNorm2d through its direct base class, as in MMEngine. GroupNorm matches nothing in this model, so it warns: init_cfg[1].layer: layer ''GroupNorm'' matches no module in Sequential. (-Strict would make that an error.) -Summary then shows one row per initializer:'
                "Initializer Tensors Elements`n----------- ------- --------`nKaiming           1    2,352`nConstant          2       32"
            )
        }
        @{
            Title   = 'Name-only override; a module''s own init_cfg wins'
            Code    = @'
$net = New-InitModel -Config @{
    type = 'Module'; class_name = 'TinyNet'
    modules = [ordered]@{
        features = @{ type = 'Sequential'; modules = @(
            @{ type = 'Conv2d'; in_channels = 3; out_channels = 8
               kernel_size = 3 }
            @{ type = 'BatchNorm2d'; num_features = 8 }) }
        fc  = @{ type = 'Linear'; in_features = 8; out_features = 4 }
        aux = @{ type = 'Linear'; in_features = 8; out_features = 2
                 init_cfg = @{ type = 'Constant'; val = 0
                             layer = 'Linear' } }
    }
}
$initCfg = @{ type = 'Xavier'; layer = 'Conv2d'; distribution = 'uniform'
              override = @{ name = 'fc' } }
Invoke-InitWeights $net -InitCfg $initCfg -Seed 0
Get-InitReport $net | Format-Table Name, Initializer, ConfigPath
'@
            Remarks = @(
                'The override @{ name = ''fc'' } holds only a name, so it uses its parent''s type and arguments (Xavier, uniform) and initializes the Linear layer fc as a whole, although fc is not a Conv2d. aux carries its own init_cfg, which runs after the model''s configs and wins. The BatchNorm2d is matched by nothing and keeps its values (its InitInfo says: The value is the same before and after calling `init_weights` of TinyNet). Output:'
                "Name              Initializer ConfigPath`n----              ----------- ----------`nfeatures.0.weight Xavier      init_cfg[0]`nfeatures.0.bias   Xavier      init_cfg[0]`nfeatures.1.weight`nfeatures.1.bias`nfc.weight         Xavier      init_cfg[0].override[0]`nfc.bias           Xavier      init_cfg[0].override[0]`naux.weight        Constant    aux.init_cfg[0]`naux.bias          Constant    aux.init_cfg[0]"
            )
        }
        @{
            Title   = 'A layer-name typo with -Strict; re-run with -Force'
            Code    = @'
$mlp = New-InitModel -Config @{ type = 'Sequential'; modules = @(
    @{ type = 'Linear'; in_features = 16; out_features = 32 }
    @{ type = 'GELU' }
    @{ type = 'Linear'; in_features = 32; out_features = 4 }
) }
$typo = @{ type = 'TruncNormal'; layer = 'Linaer'; std = 0.02 }
try {
    Invoke-InitWeights -Model $mlp -InitCfg $typo -Strict
}
catch {
    "$($_.FullyQualifiedErrorId): $($_.Exception.Message)"
}
$trunc = @{ type = 'TruncNormal'; layer = 'Linear'; std = 0.02 }
Invoke-InitWeights -Model $mlp -InitCfg $trunc -Seed 1
$ortho = @{ type = 'Orthogonal'; layer = 'Linear' }
Invoke-InitWeights -Model $mlp -InitCfg $ortho -Seed 1 -Force
(Get-InitReport -Model $mlp)[0].InitInfo
'@
            Remarks = @(
                'The first call fails before any weight changes:'
                "StrictWarning,InitCfg.Cmdlets.InvokeInitWeightsCommand: init_cfg[0].layer:`n    layer 'Linaer' matches no module in Sequential; the nearest layer type`n    present is 'Linear'. (strict mode makes this an error)"
                'The second call initializes the model. Without -Force, the third call would only warn that init_weights has been called more than once; with it, Orthogonal writes the Linear layers and the report shows OrthogonalInit: gain=1, bias=0.'
            )
        }
        @{
            Title   = 'zero_init_residual, with configs carried by the model'
            Code    = @'
$block = New-InitModel -Config @{
    type = 'Module'; class_name = 'Bottleneck'
    init_cfg = @(
        @{ type = 'Kaiming'; layer = 'Conv2d' }
        @{ type = 'Constant'; val = 1; layer = '_BatchNorm' }
        @{ type = 'Constant'; val = 0; override = @{ name = 'bn3' } }
    )
    modules = [ordered]@{
        conv1 = @{ type = 'Conv2d'; in_channels = 32; out_channels = 8
                   kernel_size = 1; bias = $false }
        bn1   = @{ type = 'BatchNorm2d'; num_features = 8 }
        conv3 = @{ type = 'Conv2d'; in_channels = 8; out_channels = 32
                   kernel_size = 1; bias = $false }
        bn3   = @{ type = 'BatchNorm2d'; num_features = 32 }
    }
}
Invoke-InitWeights -Model $block -Seed 0 -PassThru |
    Get-InitReport | Where-Object Name -Like 'bn*' |
    Format-Table Name, Mean, InitInfo
'@
            Remarks = @(
                'The model carries its own init_cfg, so no -InitCfg is needed. The configs run in list order: Constant 1 for every BatchNorm, then the override sets bn3 (weight and bias) to 0, so the block starts as an identity. -PassThru sends the model on to Get-InitReport. Output:'
                "Name       Mean InitInfo`n----       ---- --------`nbn1.weight 1.00 ConstantInit: val=1, bias=0`nbn1.bias   0.00 ConstantInit: val=1, bias=0`nbn3.weight 0.00 ConstantInit: val=0, bias=0`nbn3.bias   0.00 ConstantInit: val=0, bias=0"
            )
        }
        @{
            Title   = 'Pretrained runs last: load a checkpoint by URI'
            Code    = @'
$backbone = @{ type = 'Sequential'; modules = @(
    @{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3
       padding = 1; bias = $false }
    @{ type = 'BatchNorm2d'; num_features = 8 }
) }
$cache = Join-Path ([IO.Path]::GetTempPath()) "initcfg-cache-$PID"
$null = New-Item -ItemType Directory -Path $cache -Force
try {
    # Stand-in for a downloaded checkpoint: <cache>/my_backbone.pth
    $trained = New-InitModel -Config $backbone
    $kaiming = @{ type = 'Kaiming'; layer = 'Conv2d' }
    Invoke-InitWeights -Model $trained -InitCfg $kaiming -Seed 0
    $file = Join-Path $cache 'my_backbone.pth'
    Export-InitWeights -Model $trained -Path $file

    $model = New-InitModel -Config $backbone
    $initCfg = @(
        @{ type = 'Pretrained'; checkpoint = 'open-mmlab://my_backbone' }
        @{ type = 'Constant'; val = 1; layer = '_BatchNorm' }
    )
    Invoke-InitWeights $model $initCfg -CheckpointDir $cache -Verbose
    Get-InitReport -Model $model | Format-Table Name, Initializer
}
finally { Remove-Item -LiteralPath $cache -Recurse -Force }
'@
            Remarks = 'Although Pretrained comes first in the list, it runs after the module''s other configs and after its children, so the loaded weights win: every parameter reports Pretrained. open-mmlab://NAME resolves to NAME.pth in the -CheckpointDir folder; -Verbose shows what was loaded (VERBOSE: loaded 6 keys from open-mmlab://my_backbone).'
        }
        @{
            Title   = 'Initialize a lazy model straight into shards'
            Code    = @'
$llama = New-InitModel -Lazy -Config @{
    type = 'Module'; class_name = 'TinyLlama'
    modules = [ordered]@{
        embed_tokens = @{ type = 'Embedding'; num_embeddings = 1000
                          embedding_dim = 64 }
        norm         = @{ type = 'LayerNorm'; normalized_shape = 64 }
        lm_head      = @{ type = 'Linear'; in_features = 64
                          out_features = 1000; bias = $false }
    }
}
$cfg = @(
    @{ type = 'Normal'; std = 0.02; layer = 'Linear', 'Embedding' }
    @{ type = 'Constant'; val = 1; layer = 'LayerNorm' }
)
$out = Join-Path ([IO.Path]::GetTempPath()) "llama-$PID"
try {
    Invoke-InitWeights $llama $cfg -Seed 0 -OutputPath $out -WhatIf
    Invoke-InitWeights $llama $cfg -Seed 0 -OutputPath $out `
        -ShardSize 300KB
    Get-ChildItem $out | Select-Object Name, Length
}
finally { Remove-Item -LiteralPath $out -Recurse -ErrorAction Ignore }
'@
            Remarks = 'The lazy model never holds more than the tensors of the module being written. -WhatIf names the folder and writes nothing; the run writes two shards (the two 256,000-byte tensors cannot share one) and model.safetensors.index.json. The files equal Export-InitWeights -ShardSize 300KB of the same model built without -Lazy and initialized with -Seed 0.'
        }
        @{
            Title   = 'Initialize in memory and write shards in the same call'
            Code    = @'
$model = New-InitModel -Config @{ type = 'Linear'; in_features = 256
                                  out_features = 256 }
$out = Join-Path ([IO.Path]::GetTempPath()) "linear-$PID"
try {
    Invoke-InitWeights $model @{ type = 'Xavier'; layer = 'Linear' } `
        -Seed 1 -OutputPath $out -ShardSize 200KB -Verbose
    (Get-Content (Join-Path $out 'model.safetensors.index.json') -Raw |
        ConvertFrom-Json).weight_map
}
finally { Remove-Item -LiteralPath $out -Recurse -ErrorAction Ignore }
'@
            Remarks = '-OutputPath works for an ordinary model too: it is initialized in memory and written before the call commits, so a failed write leaves the model as it was. The 262,144-byte weight gets its own shard and the bias another; the index maps weight and bias to them.'
        }
    )

    Links       = @('about_InitCfg', 'New-InitCfg', 'New-InitModel', 'Get-InitReport', 'Export-InitWeights')
}
