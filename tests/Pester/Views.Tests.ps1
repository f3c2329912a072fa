# What a person sees at the prompt: the default views of models, module listings, reports and configs, read in a
# fresh pwsh through Format-Table / Format-List | Out-String, as a terminal shows them.

BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    # One child process for every view: each section starts with a "=== name" line.
    $script:text = Invoke-FreshPwsh @'
$m = New-InitModel -Config @{ type = 'resnet18' }
'=== model table'; $m | Out-String -Width 120
'=== model list'; $m | Format-List | Out-String -Width 120
'=== modules depth 1'; Get-InitModule -Model $m -Depth 1 | Format-Table | Out-String -Width 160
'=== modules depth 1 at 80'; Get-InitModule -Model $m -Depth 1 | Out-String -Width 80
$net = New-InitModel -Config @{
    type = 'Module'; class_name = 'Net'; init_cfg = @{ type = 'Kaiming'; layer = 'Conv2d' }
    modules = [ordered]@{
        conv = @{ type = 'Conv2d'; in_channels = 3; out_channels = 64; kernel_size = 3
                  init_cfg = @{ type = 'Normal'; layer = 'Conv2d'; std = 0.01 } }
        fc = @{ type = 'Linear'; in_features = 64; out_features = 10 }
    }
}
'=== configured model table'; $net | Out-String -Width 120
'=== configured model list'; $net | Format-List | Out-String -Width 120
'=== init_cfg property'; $net.InitCfg | Out-String -Width 120
'=== configured modules list'; Get-InitModule $net | Format-List | Out-String -Width 120
Invoke-InitWeights -Model $net -InitCfg @{ type = 'Uniform'; a = -1e-5; b = 1e-5; layer = 'Linear' } -Seed 0
'=== initialized model table'; $net | Out-String -Width 120
'=== report list'; Get-InitReport -Model $net | Select-Object -First 1 | Format-List | Out-String -Width 120
'=== report statistics'; Get-InitReport -Model $net | Format-Table -View Statistics | Out-String -Width 120
$cls = New-InitCfg -Type Normal -Std 0.01 -BiasProb 0.01 -Name retina_cls
'=== config list'; New-InitCfg -Type Normal -Std 0.01 -Layer Conv2d -Override $cls | Format-List | Out-String -Width 200
'=== end'
'@

    # The lines of one section.
    function Get-Section([string]$Name) {
        $start = $text.IndexOf("=== $Name`n")
        if ($start -lt 0) { $start = $text.IndexOf("=== $Name`r`n") }
        if ($start -lt 0) { throw "no section '$Name' in:`n$text" }
        $body = $text.Substring($start + "=== $Name".Length)
        $body.Substring(0, $body.IndexOf("`n===")).Trim("`r", "`n")
    }
}

Describe 'Views at the prompt' {

    Context 'A model' {

        It 'shows class, parameter count, size, initialized and init_cfg in a table (not "training : True")' {
            $t = Get-Section 'model table'
            $t | Should -Match '(?m)^ClassName\s+Parameters\s+Size\s+Initialized\s+InitCfg\s*$'
            $t | Should -Match '(?m)^ResNet\s+11,689,512\s+44\.6 MB\s+False\s*$'
            $t | Should -Not -Match 'training'
        }

        It 'lists its layer types and children in a list' {
            $l = Get-Section 'model list'
            $l | Should -Match '(?m)^ClassName\s+: ResNet$'
            $l | Should -Match '(?m)^LayerTypes\s+: ResNet, Module$'
            $l | Should -Match '(?m)^Children\s+: conv1, bn1, relu, maxpool, layer1, layer2, layer3, layer4, avgpool, flatten, fc$'
            $l | Should -Match '(?m)^ParameterCount\s+: 11,689,512$'
            $l | Should -Match '(?m)^ParameterSize\s+: 44\.6 MB$'
            $l | Should -Match '(?m)^Initialized\s+: False$'
        }

        It 'prints its init_cfg in dict(...) form, in the table and in the list' {
            Get-Section 'configured model table' | Should -Match "(?m)^Net\s+2,442\s+9\.5 KB\s+False\s+dict\(type='Kaiming', layer='Conv2d'\)\s*$"
            Get-Section 'configured model list' | Should -Match "(?m)^InitCfg\s+: dict\(type='Kaiming', layer='Conv2d'\)$"
            $text | Should -Not -Match '\[type, Kaiming\]'
        }

        It 'prints $model.InitCfg as configs in dict(...) form, not as key/value pairs' {
            $p = Get-Section 'init_cfg property'
            $p | Should -Match "(?m)^Kaiming\s+Conv2d\s+dict\(type='Kaiming', layer='Conv2d'\)\s*$"
            $p | Should -Not -Match '(?m)^Key\s+Value'
        }

        It 'says it is initialized once Invoke-InitWeights ran' {
            Get-Section 'initialized model table' | Should -Match '(?m)^Net\s+2,442\s+9\.5 KB\s+True\s+'
        }
    }

    Context 'Get-InitModule' {

        It 'shows path, class, direct parameters, initialized, init_cfg and layer types, one row per module' {
            $t = Get-Section 'modules depth 1'
            $t | Should -Match '(?m)^Path\s+ClassName\s+Parameters\s+Initialized\s+InitCfg\s+LayerTypes\s*$'
            $t | Should -Match '(?m)^<root>\s+ResNet\s+0\s+False\s+ResNet, Module\s*$'
            $t | Should -Match '(?m)^conv1\s+Conv2d\s+9,408\s+False\s+Conv2d, _ConvNd, Convolution\s*$'
            $t | Should -Match '(?m)^bn1\s+BatchNorm2d\s+128\s+False\s+BatchNorm2d, _BatchNorm, BatchNorm\s*$'
            $t | Should -Match '(?m)^fc\s+Linear\s+513,000\s+False\s+Linear, Module\s*$'
            @($t -split '\r?\n' | Where-Object { $_ -match '^(<root>|conv1|bn1|relu|maxpool|layer\d|avgpool|flatten|fc)\s' }).Count | Should -Be 12
        }

        It 'keeps every column in an 80-column console (layer types wrap)' {
            $t = Get-Section 'modules depth 1 at 80'
            $t | Should -Match '(?m)^Path\s+ClassName\s+Parameters\s+Initialized\s+InitCfg\s+LayerTypes\s*$'
            $t | Should -Match '(?m)^conv1\s+Conv2d\s+9,408\s+False\s+'
        }

        It 'prints each module''s init_cfg in dict(...) form, a list of them as a list' {
            $l = Get-Section 'configured modules list'
            $l | Should -Match "(?m)^Path\s+: <root>\s*\r?\n(.*\r?\n)*?InitCfg\s+: dict\(type='Kaiming', layer='Conv2d'\)"
            $l | Should -Match "(?m)^InitCfg\s+: dict\(type='Normal', (std=0\.01, layer='Conv2d'|layer='Conv2d', std=0\.01)\)$"
        }
    }

    Context 'Configs' {

        It 'lists a config''s arguments and overrides in dict(...) form' {
            $l = Get-Section 'config list'
            $l | Should -Match '(?m)^Arguments\s+: dict\(std=0\.01\)$'
            $l | Should -Match "(?m)^Override\s+: dict\(type='Normal', std=0\.01, bias_prob=0\.01, name='retina_cls'\)$"
            $l | Should -Match "(?m)^Config\s+: dict\(type='Normal', std=0\.01, layer='Conv2d', override=dict\("
            $l | Should -Not -Match '\[std, 0\.01\]'
        }
    }

    Context 'Reports' {

        It 'lists a record with its arguments in dict(...) form and statistics in significant digits' {
            $l = Get-Section 'report list'
            $l | Should -Match "(?m)^Arguments\s+: dict\(std=0\.01\)$"
            $l | Should -Match '(?m)^Std\s+: 0\.0\d{3,4}$'
            $l | Should -Match '(?m)^Mean\s+: -?\d(\.\d+)?e-0\d|^Mean\s+: -?0\.000\d+'
            $l | Should -Not -Match '\[std, 0\.01\]'
        }

        It 'shows mean, std, min and max with significant digits in the Statistics table, not 0.00' {
            $t = Get-Section 'report statistics'
            $t | Should -Match '(?m)^Name\s+Shape\s+Initializer\s+Mean\s+Std\s+Min\s+Max\s*$'
            $fc = ($t -split '\r?\n' | Where-Object { $_ -match '^fc\.weight\s' })
            $fc | Should -Not -BeNullOrEmpty
            # Uniform(-1e-5, 1e-5): every statistic is below 1e-4, so a two-decimal column would read 0.00.
            $cells = ($fc -split '\s+')[-4..-1]
            foreach ($c in $cells) {
                $c | Should -Not -Be '0.00'
                $c | Should -Match '^-?\d(\.\d{1,2})?e-0\d$'
            }
            # Normal(0, 0.01) over 1,728 values: a mean of a few 1e-4 keeps its digits.
            ($t -split '\r?\n' | Where-Object { $_ -match '^conv\.weight\s' }) | Should -Match '\s-?0\.000[1-9]\d*\s'
        }
    }
}
