<#
.SYNOPSIS
    Shared helpers for the InitCfg Pester tests: small models, tensor fingerprints, host-output capture.
    The InitCfg module itself is imported by each test file; these functions call its cmdlets at run time.
#>

Set-StrictMode -Version Latest

function Get-InitCfgModulePath {
    <# The built module manifest: $env:INITCFG_MODULE, or out/InitCfg next to the repository root. #>
    if ($env:INITCFG_MODULE) { return $env:INITCFG_MODULE }
    Join-Path $PSScriptRoot '../../out/InitCfg/InitCfg.psd1'
}

function Get-PwshCommand {
    <# The command that starts this same pwsh: `dotnet <PSHOME>/pwsh.dll` when run as the dotnet tool, else pwsh itself. #>
    $exe = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { return @($exe, (Join-Path $PSHOME 'pwsh.dll')) }
    @($exe)
}

function Get-GoldenDirectory {
    <# /work/shared/golden, located relative to the repository (../shared/golden). #>
    Join-Path $PSScriptRoot '../../../shared/golden'
}

function New-ToyNetConfig {
    <# A small MMDetection-style model config: conv (Conv2d 3->8, k3), bn (BatchNorm2d 8), fc (Linear 8->4). #>
    param([object]$InitCfg)
    $cfg = @{
        type       = 'Module'
        class_name = 'ToyNet'
        modules    = [ordered]@{
            conv = @{ type = 'Conv2d'; in_channels = 3; out_channels = 8; kernel_size = 3 }
            bn   = @{ type = 'BatchNorm2d'; num_features = 8 }
            fc   = @{ type = 'Linear'; in_features = 8; out_features = 4 }
        }
    }
    if ($PSBoundParameters.ContainsKey('InitCfg')) { $cfg.init_cfg = $InitCfg }
    $cfg
}

function New-ToyNet {
    <# Builds New-ToyNetConfig with New-InitModel (seeded build so two calls give identical defaults). #>
    param([object]$InitCfg, [long]$Seed = 1)
    $cfg = if ($PSBoundParameters.ContainsKey('InitCfg')) { New-ToyNetConfig -InitCfg $InitCfg } else { New-ToyNetConfig }
    New-InitModel -Config $cfg -Seed $Seed
}

function New-LlamaConfig {
    <# A Llama-shaped model config: embed_tokens, blocks of q/k/v/o and gate/up/down Linear layers (no bias), two LayerNorms a block, norm, lm_head. #>
    param([int]$Hidden = 16, [int]$Inter = 40, [int]$Layers = 3, [int]$Vocab = 50, [switch]$NoNormBias)
    $linear = { param($i, $o) @{ type = 'Linear'; in_features = $i; out_features = $o; bias = $false } }
    $norm = @{ type = 'LayerNorm'; normalized_shape = $Hidden; bias = -not $NoNormBias }
    $blocks = foreach ($l in 1..$Layers) {
        @{ type = 'Module'; class_name = 'LlamaDecoderLayer'; modules = [ordered]@{
            self_attn = @{ type = 'Module'; class_name = 'LlamaAttention'; modules = [ordered]@{
                q_proj = & $linear $Hidden $Hidden; k_proj = & $linear $Hidden $Hidden
                v_proj = & $linear $Hidden $Hidden; o_proj = & $linear $Hidden $Hidden } }
            mlp = @{ type = 'Module'; class_name = 'LlamaMLP'; modules = [ordered]@{
                gate_proj = & $linear $Hidden $Inter; up_proj = & $linear $Hidden $Inter; down_proj = & $linear $Inter $Hidden } }
            input_layernorm = $norm; post_attention_layernorm = $norm } }
    }
    @{ type = 'Module'; class_name = 'LlamaForCausalLM'; modules = [ordered]@{
        embed_tokens = @{ type = 'Embedding'; num_embeddings = $Vocab; embedding_dim = $Hidden }
        layers = @{ type = 'ModuleList'; modules = @($blocks) }
        norm = $norm
        lm_head = & $linear $Hidden $Vocab } }
}

function New-RetinaHeadConfig {
    <# A RetinaNet-like head (MMDetection RetinaHead): two conv towers, retina_cls and retina_reg. #>
    param([object]$InitCfg)
    $conv = { param($in, $out) @{ type = 'Conv2d'; in_channels = $in; out_channels = $out; kernel_size = 3; padding = 1 } }
    $cfg = @{
        type       = 'Module'
        class_name = 'RetinaHead'
        modules    = [ordered]@{
            cls_convs  = @{ type = 'ModuleList'; modules = @((& $conv 8 8), (& $conv 8 8)) }
            reg_convs  = @{ type = 'ModuleList'; modules = @((& $conv 8 8), (& $conv 8 8)) }
            retina_cls = & $conv 8 9
            retina_reg = & $conv 8 12
        }
    }
    if ($PSBoundParameters.ContainsKey('InitCfg')) { $cfg.init_cfg = $InitCfg }
    $cfg
}

function Get-TensorBytes {
    <# The tensor's raw data as float32 little-endian bytes in C-contiguous order (the golden files' sha256 input). #>
    param([Parameter(Mandatory)][object]$Tensor)
    $values = $Tensor.detach().cpu().contiguous().data[float]().ToArray()
    $bytes = [byte[]]::new($values.Length * 4)
    [Buffer]::BlockCopy($values, 0, $bytes, 0, $bytes.Length)
    if (-not [BitConverter]::IsLittleEndian) { throw 'Big-endian hosts are not supported by these tests.' }
    , $bytes
}

function Get-TensorSha256 {
    <# Lowercase hex SHA-256 of Get-TensorBytes. #>
    param([Parameter(Mandatory)][object]$Tensor)
    [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData((Get-TensorBytes $Tensor))).ToLowerInvariant()
}

function Get-TensorValues {
    <# The tensor's values as a float[] (C order). #>
    param([Parameter(Mandatory)][object]$Tensor)
    , $Tensor.detach().cpu().contiguous().data[float]().ToArray()
}

function Get-NamedParameter {
    <# The parameter tensor of a model by its PyTorch name (named_parameters arrives as tuples: Item1, Item2). #>
    param([Parameter(Mandatory)][object]$Model, [Parameter(Mandatory)][string]$Name)
    foreach ($p in $Model.named_parameters()) { if ($p.Item1 -eq $Name) { return $p.Item2 } }
    throw "No parameter '$Name'."
}

function Get-ModelFingerprint {
    <# One line per parameter: name=sha256. Equal fingerprints mean bit-identical weights. #>
    param([Parameter(Mandatory)][object]$Model)
    ($Model.named_parameters() | ForEach-Object { '{0}={1}' -f $_.Item1, (Get-TensorSha256 $_.Item2) }) -join "`n"
}

function Get-ReportFingerprint {
    <# Name, InitInfo, Mean, Std, Min, Max of every record, as one string. #>
    param([Parameter(Mandatory)][object]$Model)
    (Get-InitReport -Model $Model | ForEach-Object {
        '{0}|{1}|{2:R}|{3:R}|{4:R}|{5:R}' -f $_.Name, $_.InitInfo, $_.Mean, $_.Std, $_.Min, $_.Max
    }) -join "`n"
}

function Invoke-WithHostCapture {
    <#
    Runs a script block and returns what it wrote to the host (for example -WhatIf's "What if:" lines, which
    no stream redirection captures), using a transcript in $Directory.
    #>
    param([Parameter(Mandatory)][scriptblock]$ScriptBlock, [Parameter(Mandatory)][string]$Directory)
    $file = Join-Path $Directory ("host-{0}.txt" -f [guid]::NewGuid())
    $null = Start-Transcript -Path $file -Force
    try { $null = & $ScriptBlock *>&1 }
    finally { $null = Stop-Transcript }
    Get-Content -Raw -Path $file
}

function Invoke-FreshPwsh {
    <#
    Runs a script in a new pwsh process (no profile, plain-text output) with the built module imported, as a user
    at a fresh prompt would see it ($InitCfgModule holds the manifest path); returns stdout and stderr as one string.
    #>
    param([Parameter(Mandatory)][string]$Script)
    $exe = [Environment]::ProcessPath
    $prefix = [Collections.Generic.List[string]]::new()
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $prefix.Add((Join-Path $PSHOME 'pwsh.dll')) }
    $module = (Resolve-Path (Get-InitCfgModulePath)).Path
    $full = "`$PSStyle.OutputRendering = 'PlainText'; `$InitCfgModule = '$module'; Import-Module `$InitCfgModule`n$Script"
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($full))
    (& $exe @prefix -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1 | Out-String)
}

function Get-NuGetPackagesFolder {
    <# The NuGet global packages folder (restored packages, by lower-case id and version). #>
    $line = @(& dotnet nuget locals global-packages --list) | Where-Object { $_ -match '^global-packages:' } | Select-Object -First 1
    ($line -replace '^global-packages:\s*', '').Trim()
}

Export-ModuleMember -Function *
