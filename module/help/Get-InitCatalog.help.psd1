# Help source for Get-InitCatalog (see New-InitCfg.help.psd1 for the format of these files).
@{
    Synopsis    = 'Lists the registered initializers and module types, with their arguments, types and defaults.'

    Description = @(
        'Get-InitCatalog writes one InitCfg.Core.Reports.CatalogEntry per registered type: the initializers that init configs name in type (Constant, Xavier, Normal, TruncNormal, Uniform, Kaiming, Caffe2Xavier, Pretrained, Orthogonal, Dirac, Eye, and those registered with Register-InitInitializer), and the module types that New-InitModel configs name in type (layers, containers, architectures, and those registered with Register-InitModule).'
        'Each entry has Kind (Initializer or Module), Name, Description, Arguments (one CatalogArgument per argument: Name, Type, Default, Required, Description) and Signature, the arguments in one line as MMEngine would write them (val (number, required), bias=0, bias_prob=None, layer=None). The defaults are the ones that apply when a config leaves an argument out.'
    )

    Parameters  = @{
        Kind = @{ Description = 'Initializer or Module: list only that kind. Both kinds are listed when it is left out.'; Default = 'None (both)' }
        Name = @{ Description = 'Lists only the entries whose name matches this wildcard pattern, case-insensitively (Kaiming, *Norm*, Conv?d).'; Default = '*' }
    }

    Inputs      = @{
        'None' = 'Get-InitCatalog takes no pipeline input.'
    }

    Outputs     = @{
        'InitCfg.Core.Reports.CatalogEntry' = 'One entry per registered initializer or module type.'
    }

    Notes       = @(
        'The registries are shared by the whole PowerShell process: types registered with Register-InitInitializer or Register-InitModule appear here and in the tab completion of New-InitCfg -Type until the process ends.'
    )

    Examples    = @(
        @{
            Title   = 'Every initializer with its arguments and defaults'
            Code    = @'
Get-InitCatalog -Kind Initializer | Format-Table Name, Signature -Wrap
'@
            Remarks = @(
                'The arguments and defaults are MMEngine''s. The first lines:'
                "Name         Signature`n----         ---------`nConstant     val (number, required), bias=0, bias_prob=None, layer=None`nXavier       gain=1, distribution='normal', bias=0, bias_prob=None,`n             layer=None"
            )
        }
        @{
            Title   = 'The arguments of one initializer, and of a module type'
            Code    = @'
(Get-InitCatalog Initializer Kaiming).Arguments |
    Format-Table Name, Default, Required, Description
Get-InitCatalog -Kind Module -Name BatchNorm2d |
    Select-Object -ExpandProperty Arguments |
    Format-Table Name, Type, Default
'@
            Remarks = 'Kaiming''s arguments with their defaults (mode=''fan_out'', nonlinearity=''relu'', ...; the Type property lists the allowed values, such as fan_in|fan_out), then the constructor arguments a BatchNorm2d node of a New-InitModel config takes (num_features, eps, momentum, affine, track_running_stats).'
        }
        @{
            Title   = 'Which layer and norm types can a config build?'
            Code    = @'
Get-InitCatalog Module *Norm* | Select-Object Name, Description
'@
            Remarks = 'Wildcards match the names case-insensitively: BatchNorm1d/2d/3d, InstanceNorm1d/2d/3d, GroupNorm and LayerNorm.'
        }
    )

    Links       = @('about_InitCfg', 'Register-InitInitializer', 'Register-InitModule', 'New-InitCfg', 'New-InitModel')
}
