BeforeAll {
    $modulePath = if ($env:INITCFG_MODULE) { $env:INITCFG_MODULE } else { "$PSScriptRoot/../../out/InitCfg/InitCfg.psd1" }
    Import-Module $modulePath -Force
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force

    $script:net = New-ToyNet
    Invoke-InitWeights $net -Seed 0 -InitCfg @(
        @{ type = 'Kaiming'; layer = 'Conv2d' }
        @{ type = 'Constant'; val = 1; layer = '_BatchNorm' }
        @{ type = 'Normal'; std = 0.01; bias_prob = 0.01; layer = 'Linear' }
    )
    $script:names = @($net.named_parameters() | ForEach-Object { $_.Item1 })
}

Describe 'Export-InitReport' {

    Context 'Formats' {

        It 'writes .json that parses back with every record field and the loads' {
            $file = Join-Path $TestDrive 'r.json'
            Export-InitReport -Model $net -Path $file
            $json = Get-Content -Raw $file | ConvertFrom-Json
            $json.Model | Should -Be 'ToyNet'
            $json.Parameters.Name | Should -Be $names
            foreach ($p in 'Name', 'Shape', 'InitInfo', 'Initializer', 'Arguments', 'ModulePath', 'ConfigPath', 'Written', 'Elements', 'Mean', 'Std', 'Min', 'Max') {
                $json.Parameters[0].PSObject.Properties.Name | Should -Contain $p
            }
            $json.Parameters[0].Shape | Should -Be @(8, 3, 3, 3)
            $json.Parameters[0].Mean | Should -Be (Get-InitReport $net)[0].Mean
            ($json.Parameters | Where-Object Name -EQ 'fc.weight').Arguments.std | Should -Be 0.01
            @($json.Loads).Count | Should -Be 0
            $json.PSObject.Properties.Name | Should -Contain 'Warnings'
        }

        It 'writes .csv with one row per parameter and the documented columns' {
            $file = Join-Path $TestDrive 'r.csv'
            Export-InitReport -Model $net -Path $file
            $rows = @(Import-Csv $file)
            $rows.Count | Should -Be $names.Count
            $rows[0].PSObject.Properties.Name | Should -Be @('Name', 'Shape', 'Initializer', 'InitInfo', 'Arguments', 'ModulePath', 'ConfigPath', 'Written', 'Elements', 'Mean', 'Std', 'Min', 'Max')
            $rows[0].Shape | Should -Be '[8, 3, 3, 3]'
            $rows[0].Initializer | Should -Be 'Kaiming'
            [double]::Parse($rows[0].Mean, [cultureinfo]::InvariantCulture) | Should -Be (Get-InitReport $net)[0].Mean
        }

        It 'writes .md tables to paste into a pull request' {
            $file = Join-Path $TestDrive 'r.md'
            Export-InitReport -Model $net -Path $file
            $md = Get-Content $file
            $md | Should -Contain '| Initializer | Tensors | Elements |'
            $md | Should -Contain '| Name | Shape | Initializer | Mean | Std | Min | Max | InitInfo |'
            foreach ($n in $names) { @($md | Where-Object { $_.StartsWith("| ``$n`` |") }).Count | Should -Be 1 }
        }

        It 'writes .log exactly as Get-InitReport -AsLog (MMEngine''s dump)' {
            $file = Join-Path $TestDrive 'r.log'
            Export-InitReport -Model $net -Path $file
            [IO.File]::ReadAllText($file) | Should -BeExactly (Get-InitReport $net -AsLog)
        }

        It 'writes .html with the summary and one inline SVG chart per written weight' {
            $file = Join-Path $TestDrive 'r.html'
            Export-InitReport -Model $net -Path $file
            $html = Get-Content -Raw $file
            $html | Should -Match '^<!DOCTYPE html>'
            $html | Should -Match '<h2>Parameters per initializer</h2>'
            $html | Should -Match '<h2>Modules with an init_cfg</h2>'
            ([regex]::Matches($html, '<svg')).Count | Should -Be 3
            foreach ($n in 'conv.weight', 'bn.weight', 'fc.weight') { $html | Should -Match ([regex]::Escape("data-name=""$n""")) }
            $html | Should -Not -Match '(src|href)="(https?:)?//'
        }
    }

    Context 'Cmdlet behaviour' {

        It 'writes nothing to the pipeline by default and a FileInfo with -PassThru' {
            $file = Join-Path $TestDrive 'p.md'
            Export-InitReport -Model $net -Path $file | Should -BeNullOrEmpty
            $out = Export-InitReport -Model $net -Path $file -Force -PassThru
            $out | Should -BeOfType ([IO.FileInfo])
            $out.FullName | Should -Be $file
            $out.Length | Should -BeGreaterThan 0
            # What Get-Item returns: the same display (mode, owner, size), not a bare FileInfo's blanks.
            $out.PSPath | Should -Be (Get-Item -LiteralPath $file).PSPath
            ($out | Format-Table | Out-String -Width 200) | Should -Be (Get-Item -LiteralPath $file | Format-Table | Out-String -Width 200)
        }

        It 'takes the model from the pipeline and resolves a relative path against the location' {
            Push-Location $TestDrive
            try {
                $net | Export-InitReport -Path 'rel.log'
                Test-Path (Join-Path $TestDrive 'rel.log') | Should -BeTrue
            }
            finally { Pop-Location }
        }

        It 'writes no file with -WhatIf' {
            $file = Join-Path $TestDrive 'whatif.html'
            Export-InitReport -Model $net -Path $file -WhatIf
            Test-Path $file | Should -BeFalse
            $text = Invoke-WithHostCapture -Directory $TestDrive { Export-InitReport -Model $net -Path $file -WhatIf }
            $text | Should -Match 'Export the init report of ToyNet \(6 parameter tensors\) as Html'
        }

        It 'refuses to replace a file without -Force (ExportTargetExists) and replaces it with -Force' {
            $file = Join-Path $TestDrive 'exists.json'
            Set-Content -Path $file -Value 'keep'
            Export-InitReport -Model $net -Path $file -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'ExportTargetExists,InitCfg.Cmdlets.ExportInitReportCommand'
            $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $err[0].TargetObject | Should -Be $file
            (Get-Content -Raw $file).Trim() | Should -Be 'keep'
            Export-InitReport -Model $net -Path $file -Force
            (Get-Content -Raw $file | ConvertFrom-Json).Model | Should -Be 'ToyNet'
        }

        It 'refuses an unknown extension (UnsupportedFormat)' {
            $file = Join-Path $TestDrive 'r.txt'
            Export-InitReport -Model $net -Path $file -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'UnsupportedFormat,InitCfg.Cmdlets.ExportInitReportCommand'
            Test-Path $file | Should -BeFalse
        }

        It 'fails with ExportFailed when the folder does not exist, leaving no file' {
            $file = Join-Path $TestDrive 'no-such-folder/r.md'
            Export-InitReport -Model $net -Path $file -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'ExportFailed,InitCfg.Cmdlets.ExportInitReportCommand'
        }
    }

    Context 'The HTML page in a real browser (headless Chromium)' {

        BeforeAll {
            $script:chromium = '/usr/bin/chromium'
            $script:haveChromium = Test-Path -LiteralPath $chromium
            $script:shot = Join-Path $PSScriptRoot '../../out/test-results/init-report.png'

            # Runs chromium headless on a fresh profile with a timeout; returns its stdout. Kills only the process it started.
            function Invoke-Chromium([string[]]$Arguments, [int]$TimeoutSeconds = 120) {
                $profileDir = Join-Path $TestDrive ("chromium-" + [guid]::NewGuid().ToString('N'))
                $null = New-Item -ItemType Directory -Path $profileDir
                $psi = [Diagnostics.ProcessStartInfo]::new($chromium)
                foreach ($a in @('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                        '--disable-background-networking', '--disable-component-update', '--disable-sync',
                        "--user-data-dir=$profileDir") + $Arguments) { $psi.ArgumentList.Add($a) }
                $psi.RedirectStandardOutput = $true
                $psi.RedirectStandardError = $true
                $psi.UseShellExecute = $false
                $p = [Diagnostics.Process]::Start($psi)
                $stdout = $p.StandardOutput.ReadToEndAsync()
                $stderr = $p.StandardError.ReadToEndAsync()
                if (-not $p.WaitForExit($TimeoutSeconds * 1000)) {
                    $p.Kill($true)
                    throw "chromium did not finish within $TimeoutSeconds s"
                }
                $script:chromiumLog = "$($psi.ArgumentList -join ' ') exit code $($p.ExitCode)`n" + $stderr.GetAwaiter().GetResult()
                $stdout.GetAwaiter().GetResult()
            }

            if ($haveChromium) {
                $model = New-InitModel -Config (Join-Path $PSScriptRoot '../../examples/retinanet_like.yaml')
                Invoke-InitWeights -Model $model -Seed 0
                $script:page = Join-Path $TestDrive 'retinanet.html'
                Export-InitReport -Model $model -Path $page
                $script:weights = @(Get-InitReport $model | Where-Object { $_.Written -and $_.Name -notmatch 'bias$' }).Count
                $script:url = [Uri]::new($page).AbsoluteUri
            }
        }

        It 'renders the demo model''s page to a non-trivial screenshot' {
            if (-not $haveChromium) { Set-ItResult -Skipped -Because "chromium is not installed at $chromium (.ci/run installs it)"; return }
            $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $shot)
            $png = Join-Path $TestDrive 'init-report.png'
            $null = Invoke-Chromium @("--screenshot=$png", '--window-size=1280,2000', $url)
            Test-Path $png | Should -BeTrue -Because $chromiumLog
            $bytes = [IO.File]::ReadAllBytes($png)
            # A blank or single-colour 1280x2000 page compresses to a few KB; charts and text make it much larger.
            $bytes.Length | Should -BeGreaterThan 20KB
            [Text.Encoding]::ASCII.GetString($bytes, 1, 3) | Should -Be 'PNG'
            [Buffers.Binary.BinaryPrimitives]::ReadInt32BigEndian([ArraySegment[byte]]::new($bytes, 16, 4)) | Should -Be 1280
            Copy-Item -LiteralPath $png -Destination $shot -Force
        }

        It 'has every chart in the rendered DOM' {
            if (-not $haveChromium) { Set-ItResult -Skipped -Because "chromium is not installed at $chromium (.ci/run installs it)"; return }
            $dom = Invoke-Chromium @('--dump-dom', $url)
            $dom | Should -Match '<h2>Parameters per initializer</h2>'
            ([regex]::Matches($dom, '<figure class="plot"')).Count | Should -Be $weights
            ([regex]::Matches($dom, '<svg\b')).Count | Should -Be $weights
            ([regex]::Matches($dom, '<rect fill=')).Count | Should -BeGreaterThan ($weights * 5)
            $dom | Should -Match 'backbone\.conv1\.weight'
            $dom | Should -Match 'bbox_head\.retina_cls\.weight'
        }
    }
}
