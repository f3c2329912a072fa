@{
    RootModule             = 'InitCfg.Cmdlets.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = 'b0ae9220-fa03-4eb4-9b93-ad495030edec'
    Author                 = 'InitCfg contributors'
    CompanyName            = 'InitCfg contributors'
    Copyright              = '(c) InitCfg contributors. All rights reserved.'
    Description            = 'OpenMMLab-style init_cfg weight initialization for TorchSharp models: build init configs, apply them to modules (Constant, Xavier, Normal, TruncNormal, Uniform, Kaiming, Pretrained, ...) and report what was initialized.'
    PowerShellVersion      = '7.4'
    CompatiblePSEditions   = @('Core')
    RequiredAssemblies     = @('TorchSharp.dll', 'TorchVision.dll', 'InitCfg.Core.dll', 'YamlDotNet.dll')
    FormatsToProcess       = @('InitCfg.format.ps1xml')
    CmdletsToExport        = @('New-InitCfg', 'Invoke-InitWeights', 'Get-InitReport', 'New-InitModel', 'Export-InitWeights', 'Get-InitCatalog', 'Register-InitInitializer', 'Register-InitModule', 'Get-InitPlan', 'Export-InitReport', 'Import-InitConfig', 'Export-InitConfig')
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('TorchSharp', 'PyTorch', 'OpenMMLab', 'init_cfg', 'WeightInitialization', 'DeepLearning', 'Linux')
            ReleaseNotes = 'Initial release: New-InitCfg, Invoke-InitWeights, Get-InitReport, New-InitModel.'
        }
    }
}
