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
    # InitCfg.Core, YamlDotNet, ScottPlot and SkiaSharp live in dependencies/ and load in InitCfg's own
    # AssemblyLoadContext (src/Cmdlets/DependencyLoadContext.cs); listing them here would load them into the default one.
    RequiredAssemblies     = @('TorchSharp.dll', 'TorchVision.dll')
    TypesToProcess         = @('InitCfg.types.ps1xml')
    FormatsToProcess       = @('InitCfg.format.ps1xml')
    CmdletsToExport        = @('New-InitCfg', 'Invoke-InitWeights', 'Get-InitReport', 'New-InitModel', 'Export-InitWeights', 'Get-InitCatalog', 'Register-InitInitializer', 'Register-InitModule', 'Get-InitPlan', 'Export-InitReport', 'Get-InitModule', 'Import-InitConfig', 'Export-InitConfig')
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('TorchSharp', 'PyTorch', 'OpenMMLab', 'init_cfg', 'WeightInitialization', 'DeepLearning', 'Linux')
            ReleaseNotes = 'Initial release. Cmdlets: New-InitCfg, Invoke-InitWeights, Get-InitReport, New-InitModel, Export-InitWeights, Get-InitCatalog, Register-InitInitializer, Register-InitModule, Get-InitPlan, Export-InitReport, Get-InitModule, Import-InitConfig, Export-InitConfig. Packages for Linux (x64), Windows (x64) and macOS (arm64). Lazy models (New-InitModel -Lazy) initialized straight into sharded safetensors (Invoke-InitWeights -OutputPath -ShardSize).'
        }
    }
}
