# PyTorch 1.13 is the judge of InitCfg's MultiheadAttention, TransformerEncoderLayer and TransformerDecoderLayer:
# New-InitModel -Seed builds them with PyTorch's names, order, shapes and bit-identical default values
# (torch.manual_seed(s), then building); their forward equals PyTorch's within float rounding; their exports load into
# PyTorch's modules with load_state_dict(strict=True).
# Needs /usr/bin/python3 with torch (Debian's python3-torch); skipped otherwise.

BeforeDiscovery {
    $script:cases = @('mha', 'mha_kdim_bias_kv', 'mha_no_bias_batch_first', 'encoder', 'encoder_gelu_norm_first', 'decoder') |
        ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    $script:python = '/usr/bin/python3'
    $script:noTorchReason = "$python cannot import torch (install python3-torch)"
    $script:hasTorch = $false
    if (Test-Path -LiteralPath $python) {
        & $python -c 'import torch' 2>$null
        $script:hasTorch = $LASTEXITCODE -eq 0
    }

    function Skip-WithoutTorch {
        if (-not $hasTorch) { Set-ItResult -Skipped -Because $noTorchReason }
    }

    function Invoke-AttentionCheck([string]$Mode, [string]$Folder) {
        $out = & $python (Join-Path $PSScriptRoot 'python/attention_check.py') $Mode $Folder 2>&1
        if ($LASTEXITCODE -ne 0) { throw "attention_check.py $Mode failed ($LASTEXITCODE):`n$($out -join "`n")" }
        $out
    }

    function ConvertTo-Tensor($Json) {
        if ($null -eq $Json) { return $null }
        # An if-expression would unroll the typed array into object[], which from_array refuses.
        if ($Json.dtype -eq 'bool') { return [TorchSharp.torch]::from_array([bool[]]$Json.values).reshape([long[]]$Json.shape) }
        [TorchSharp.torch]::from_array([float[]]$Json.values).reshape([long[]]$Json.shape)
    }

    # The outputs as a list: PowerShell would enumerate a lone tensor along its first dimension.
    function Invoke-Case($Model, $Case) {
        $x = $Case.inputs
        $null = $Model.eval()
        $outputs = [Collections.Generic.List[object]]::new()
        switch ($Case.kind) {
            { $_ -like 'mha*' } {
                $r = $Model.Forward((ConvertTo-Tensor $x.query), (ConvertTo-Tensor $x.key), (ConvertTo-Tensor $x.value),
                    (ConvertTo-Tensor $x.key_padding_mask), $true, (ConvertTo-Tensor $x.attn_mask), $true)
                $outputs.Add($r.Item1)
                $outputs.Add($r.Item2)
            }
            'enc' { $outputs.Add($Model.call((ConvertTo-Tensor $x.src))) }
            default { $outputs.Add($Model.call((ConvertTo-Tensor $x.tgt), (ConvertTo-Tensor $x.memory))) }
        }
        , $outputs
    }

    if ($hasTorch) {
        $script:folder = Join-Path $TestDrive 'attention'
        $null = New-Item -ItemType Directory -Path $folder
        $null = Invoke-AttentionCheck 'reference' $folder
        $script:reference = @{}
        foreach ($c in (Get-Content -Raw (Join-Path $folder 'reference.json') | ConvertFrom-Json -AsHashtable).cases) { $reference[$c.name] = $c }
        $script:models = @{}
        foreach ($name in $reference.Keys) {
            $c = $reference[$name]
            $models[$name] = New-InitModel $c.config -Seed $c.build_seed
            Export-InitWeights $models[$name] (Join-Path $folder "$name.pth")
        }
        $script:check = (Invoke-AttentionCheck 'check' $folder) -join '' | ConvertFrom-Json -AsHashtable
    }
}

Describe 'Attention in PyTorch''s layout, judged by PyTorch 1.13' {

    It '<Name>: New-InitModel -Seed gives PyTorch''s state names, order, shapes and bit-identical values' -ForEach $cases {
        Skip-WithoutTorch
        $c = $reference[$Name]
        $state = $models[$Name].state_dict()
        @($state.Keys) | Should -Be @($c.state | ForEach-Object { $_.name })
        foreach ($e in $c.state) {
            @($state[$e.name].shape) | Should -Be @($e.shape) -Because $e.name
            Get-TensorSha256 $state[$e.name] | Should -Be $e.sha256 -Because $e.name
        }
    }

    It '<Name>: forward equals PyTorch''s within 1e-5' -ForEach $cases {
        Skip-WithoutTorch
        $c = $reference[$Name]
        $outputs = Invoke-Case $models[$Name] $c
        $outputs.Count | Should -Be $c.outputs.Count
        for ($i = 0; $i -lt $outputs.Count; $i++) {
            @($outputs[$i].shape) | Should -Be @($c.outputs[$i].shape)
            $ours = Get-TensorValues $outputs[$i]
            $theirs = $c.outputs[$i].values
            $worst = 0.0
            for ($j = 0; $j -lt $ours.Length; $j++) { $worst = [Math]::Max($worst, [Math]::Abs($ours[$j] - $theirs[$j])) }
            $worst | Should -BeLessThan 1e-5 -Because "output $i"
        }
    }

    It '<Name>: the export loads into PyTorch''s module with strict=True, keys in PyTorch''s order, values and forward equal' -ForEach $cases {
        Skip-WithoutTorch
        $r = $check[$Name]
        @($r.keys) | Should -Be @($r.model_keys)
        foreach ($e in $reference[$Name].state) { $r.sha[$e.name] | Should -Be $e.sha256 -Because $e.name }
        $r.max_abs_diff | Should -Be 0
    }

    It 'layer=''Linear'' reaches out_proj (NonDynamicallyQuantizableLinear) as in PyTorch + MMEngine, not in_proj_weight' {
        $m = New-InitModel @{ type = 'MultiheadAttention'; embed_dim = 8; num_heads = 2 } -Seed 0
        $inProj = Get-TensorSha256 (Get-NamedParameter $m 'in_proj_weight')
        Invoke-InitWeights $m -InitCfg @{ type = 'Constant'; val = 1; bias = 2; layer = 'Linear' }
        Get-TensorSha256 (Get-NamedParameter $m 'in_proj_weight') | Should -Be $inProj
        $weight = Get-TensorValues (Get-NamedParameter $m 'out_proj.weight')
        $bias = Get-TensorValues (Get-NamedParameter $m 'out_proj.bias')
        $weight | Sort-Object -Unique | Should -Be 1
        $bias | Sort-Object -Unique | Should -Be 2
        (Get-InitReport $m | Where-Object Name -eq 'out_proj.weight').InitInfo | Should -Match 'ConstantInit: val=1, bias=2'
    }
}
