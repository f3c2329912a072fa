# Help source for Import-InitConfig (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Reads an MMEngine/MMDetection config (.py with its _base_ files, .yaml, .yml or .json) as ordered dictionaries, without running Python.'

    Description = @(
        'Import-InitConfig reads a config file as MMEngine''s Config.fromfile does and returns the merged config as ordered dictionaries, object arrays, strings, 64-bit integers, doubles, booleans and $null, so ConvertTo-Json -Depth 100 gives the JSON of MMEngine''s dump.'
        'A .py file is read as MMEngine''s config language without running Python: _base_ files (relative paths, and mmdet:: paths, looked for as configs/<path> in the folders above the file) are merged by MMEngine''s rules (dicts merge key by key, anything else replaces, _delete_=True replaces the dict); {{_base_.x}} placeholders and _base_.x values, the predefined variables {{ fileDirname }}, {{ fileBasename }}, {{ fileBasenameNoExtension }} and {{ fileExtname }}, and {{$NAME:default}} environment variables are resolved; module-level variables, expressions (arithmetic, string and list operations, subscripts, slices, conditional expressions, comprehensions, dict/list/tuple/range/len/enumerate/min/max/zip), item and attribute assignment, update/pop/copy, del and augmented assignment are evaluated. Tuples are read-only lists (InitCfg.Core.Configs.ConfigTuple) that JSON and YAML write as lists and Export-InitConfig writes back as tuples.'
        'The lazy-import style of mmdet/configs (with read_base(): from .._base_.x import *) is read too; an imported class such as type=RetinaNet becomes its dotted name as imported (mmdet.models.RetinaNet), which New-InitModel and the initializers accept (PretrainedInit is Pretrained). Imported names are not config keys, as in MMEngine''s dump.'
        'Anything outside this subset (calling a def or lambda, a while or try statement, an unknown import used as a value) is an error naming file:line:column and the construct, never a silent wrong value. Files are read with the same bounds as YAML: 64 MiB, 100 levels of nesting, 200,000 values, and a work budget, so x = [x] * 10**9 is refused.'
        'The console shows the result as MMEngine''s pretty_text (keys sorted, dict(...) form); the objects themselves keep the file''s key order.'
    )

    Parameters  = @{
        Path = 'The config file: .py (an MMEngine config; its _base_ files are read too), .yaml, .yml or .json. Relative paths are resolved against the current PowerShell location. Files may come down the pipeline (FileInfo objects from Get-ChildItem bind by FullName); each one is read on its own, and a file that fails is a non-terminating error. Tab completion offers folders and config files.'
        Key  = @{
            Description = 'A dotted key to return instead of the whole config, such as model, model.backbone or model.roi_head.bbox_head[0] (an index in brackets selects a list item). A key that does not exist is an error (ConfigKeyNotFound) naming the nearest existing key. Tab completion offers the keys of the file given to -Path.'
            Default     = 'None (the whole config)'
        }
    }

    Inputs      = @(
        @{ Type = 'System.String'; Description = 'The path of a config file (-Path).' }
        @{ Type = 'System.IO.FileInfo'; Description = 'A config file from Get-ChildItem (bound to -Path by its FullName).' }
    )

    Outputs     = @(
        @{ Type = 'System.Collections.Specialized.OrderedDictionary'; Description = 'The config (or the dict at -Key), with nested ordered dictionaries and object arrays.' }
        @{ Type = 'System.Object[]'; Description = 'The list at -Key.' }
        @{ Type = 'System.String, System.Int64, System.Double, System.Boolean'; Description = 'The scalar at -Key.' }
    )

    Notes       = @(
        'Errors are ErrorRecord objects with a stable ErrorId: ConfigFileNotFound, ConfigSyntaxError and UnsupportedConfigConstruct (with file:line:column), ConfigEvaluationError (a Python error such as a KeyError), ConfigKeyNotFound, ConfigTooLarge.'
        'custom_imports is kept as data; nothing is imported. Export-InitConfig writes a config back.'
    )

    Examples    = @(
        @{
            Title   = 'Read a config that inherits from a _base_ file'
            Code    = @'
$dir = Join-Path ([IO.Path]::GetTempPath()) "initcfg-import-$PID"
$null = New-Item -ItemType Directory -Path "$dir/_base_" -Force
try {
    Set-Content -LiteralPath "$dir/_base_/retinanet.py" -Value @"
model = dict(
    type='RetinaNet',
    backbone=dict(type='ResNet', depth=50, out_indices=(0, 1, 2, 3)),
    bbox_head=dict(type='RetinaHead', num_classes=80,
                   init_cfg=dict(type='Normal', layer='Conv2d', std=0.01)))
"@
    Set-Content -LiteralPath "$dir/retinanet_r101.py" -Value @"
_base_ = './_base_/retinanet.py'
model = dict(backbone=dict(depth=101), bbox_head=dict(num_classes=20))
"@
    $model = Import-InitConfig -Path "$dir/retinanet_r101.py" -Key model
    $model.backbone.depth, $model.bbox_head.num_classes
    $model | ConvertTo-Json -Depth 10 -Compress
}
finally { Remove-Item -LiteralPath $dir -Recurse -Force }
'@
            Remarks = 'The child config changes depth and num_classes; everything else comes from the base. The output is 101, 20 and the merged model as JSON, with out_indices as a list: {"type":"RetinaNet","backbone":{"type":"ResNet","depth":101,"out_indices":[0,1,2,3]},...}.'
        }
        @{
            Title   = 'Variables, comprehensions, _delete_ and a key into a list'
            Code    = @'
$dir = Join-Path ([IO.Path]::GetTempPath()) "initcfg-import2-$PID"
$null = New-Item -ItemType Directory -Path $dir -Force
try {
    Set-Content -LiteralPath "$dir/base.py" -Value @"
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(type='Head', norm_cfg=norm_cfg,
             stages=[dict(depth=d) for d in (2, 3)])
"@
    Set-Content -LiteralPath "$dir/child.py" -Value @"
_base_ = 'base.py'
model = dict(norm_cfg=dict(_delete_=True, type='GN', num_groups=32))
model['stages'] = [dict(depth=d * 2) for d in range(1, 4)]
"@
    Import-InitConfig "$dir/child.py" -Key 'model.stages[2]'
    (Import-InitConfig "$dir/child.py" -Key model.norm_cfg).Keys
}
finally { Remove-Item -LiteralPath $dir -Recurse -Force }
'@
            Remarks = 'The third stage is dict(depth=6). _delete_=True replaces the base''s norm_cfg instead of merging into it, so its keys are type and num_groups only, without requires_grad.'
        }
    )

    Links       = @('about_InitCfg', 'Export-InitConfig', 'New-InitModel', 'New-InitCfg')
}
