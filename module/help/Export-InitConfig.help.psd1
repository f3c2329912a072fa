# Help source for Export-InitConfig (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Writes a config to a .py (as MMEngine''s pretty_text lays it out), .yaml, .yml or .json file, atomically.'

    Description = @(
        'Export-InitConfig writes a config, such as one read by Import-InitConfig, to a file whose extension picks the format. A .py file is written as MMEngine''s Config.pretty_text builds it (one name=value statement per top-level key, keys sorted, dicts as dict(...), a {''key'': value} display where a key is not a Python identifier, list items one per line) and reflowed as yapf reflows it with MMEngine''s style: MMEngine and Import-InitConfig read it back as the same config. .yaml and .yml files are block YAML; .json files are indented JSON. Integers stay integers and floats keep a decimal point in every format.'
        'The file is written atomically: it appears complete or not at all. An existing file is not replaced unless -Force is given.'
    )

    Parameters  = @{
        InputObject = 'The config: an ordered dictionary or hashtable (as Import-InitConfig returns), a PSCustomObject, an InitConfig, or config text (Python dict(...), JSON or YAML). A .py file needs a dictionary (its keys become the top-level names). May come down the pipeline.'
        Path        = 'The file to write. Its extension picks the format: .py, .yaml, .yml or .json; any other is an error (UnsupportedFormat). Relative paths are resolved against the current PowerShell location.'
        Force       = 'Replaces the file if it exists. Without it, an existing file is an error (ErrorId ExportTargetExists) and is left as it is.'
        PassThru    = 'Writes a System.IO.FileInfo for the written file to the pipeline. By default nothing is written.'
        WhatIf      = 'Shows what would be written (the number of top-level keys and the size of the text) without writing the file.'
        Confirm     = 'Asks for confirmation before writing the file. The cmdlet''s ConfirmImpact is Medium, so it does not ask unless -Confirm is given or $ConfirmPreference is Medium or Low.'
    }

    Inputs      = @(
        @{ Type = 'System.Collections.IDictionary'; Description = 'A config (-InputObject).' }
        @{ Type = 'System.String'; Description = 'Config text (-InputObject).' }
    )

    Outputs     = @(
        @{ Type = 'None'; Description = 'By default, Export-InitConfig writes nothing to the pipeline.' }
        @{ Type = 'System.IO.FileInfo'; Description = 'With -PassThru, the written file.' }
    )

    Notes       = @(
        'Errors are non-terminating ErrorRecord objects with a stable ErrorId (ExportTargetExists, UnsupportedFormat, ExportFailed, ConfigNotMapping) and the file path as TargetObject.'
        'A .py file is MMEngine''s pretty_text byte for byte (what Config.fromfile(f).dump() writes with yapf 0.32): keys sorted, yapf''s line breaking reproduced, and tuples read from a .py config (kept as InitCfg.Core.Configs.ConfigTuple, also through Import-InitConfig) written as tuples. All 94 configs of the MMDetection sample give MMEngine''s dump exactly.'
    )

    Examples    = @(
        @{
            Title   = 'Write a config as Python and read it back'
            Code    = @'
$file = Join-Path ([IO.Path]::GetTempPath()) "initcfg-export-$PID.py"
try {
    $cfg = [ordered]@{
        model = [ordered]@{
            type = 'RetinaNet'
            backbone = [ordered]@{ type = 'ResNet'; depth = 50
                                   out_indices = @(0, 1, 2, 3) }
        }
        work_dir = './work_dirs/retinanet'
    }
    Export-InitConfig -InputObject $cfg -Path $file -PassThru |
        Select-Object Name
    Get-Content -LiteralPath $file
    (Import-InitConfig -Path $file -Key model.backbone).depth
}
finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
'@
            Remarks = 'The file holds model=dict(...) and work_dir=''./work_dirs/retinanet'' as MMEngine''s pretty_text writes them; reading it back gives depth 50.'
        }
        @{
            Title   = 'Convert a Python config to YAML and JSON; refuse to overwrite'
            Code    = @'
$dir = Join-Path ([IO.Path]::GetTempPath()) "initcfg-export2-$PID"
$null = New-Item -ItemType Directory -Path $dir -Force
try {
    Set-Content -LiteralPath "$dir/head.py" -Value @"
init_cfg = dict(type='Normal', layer='Conv2d', std=0.01, bias_prob=0.01)
"@
    $cfg = Import-InitConfig -Path "$dir/head.py"
    $cfg | Export-InitConfig -Path "$dir/head.yaml"
    $cfg | Export-InitConfig -Path "$dir/head.json" -WhatIf
    $cfg | Export-InitConfig -Path "$dir/head.yaml" -ErrorVariable failed `
        -ErrorAction SilentlyContinue
    $failed[0].FullyQualifiedErrorId
    Get-Content -LiteralPath "$dir/head.yaml"
}
finally { Remove-Item -LiteralPath $dir -Recurse -Force }
'@
            Remarks = 'The YAML file keeps std as a float and the key order of the file. -WhatIf only tells what would be written. Writing head.yaml again fails with ExportTargetExists,InitCfg.Cmdlets.ExportInitConfigCommand; add -Force to replace it.'
        }
    )

    Links       = @('about_InitCfg', 'Import-InitConfig', 'Export-InitWeights')
}
