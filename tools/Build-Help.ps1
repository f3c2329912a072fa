<#
.SYNOPSIS
    Builds the module's help: MAML XML for the binary cmdlets and the about_ topic.

.DESCRIPTION
    Imports the built module, and for every exported cmdlet combines
      - the syntax and parameter metadata from Get-Command (parameter sets, types, Mandatory, Position,
        ValueFromPipeline / ByPropertyName, aliases), and
      - the texts from <Source>/<Verb-Noun>.help.psd1,
    into <Destination>/InitCfg.Cmdlets.dll-Help.xml (MAML, the format Get-Help reads for binary cmdlets).
    Every about_*.help.txt file in <Source> is copied to <Destination>.

    The build fails (the script throws, exit code 1) when an exported cmdlet has no .help.psd1 file, a
    parameter has no description, a .help.psd1 describes a parameter the cmdlet does not have, a cmdlet has
    fewer than two examples or no synopsis, description, inputs or outputs, a file has keys this script does
    not know, or an about_ topic has a line longer than 80 characters. So help cannot silently rot.
    So does an example code line longer than 75 characters (it wraps in an 80-column console).

    Run it in a fresh process (build.ps1 does): the module is a binary module, and an older copy already
    loaded in the session could not be replaced.

    A .help.psd1 file holds:
      Synopsis    = 'one line'
      Description = @('paragraph', 'paragraph')
      Parameters  = @{ Name = 'text' or @('paragraph', ...) or @{ Description = ...; Default = '...' } }
                    (the default shown is 'None', or 'False' for a switch, unless Default says otherwise;
                    WhatIf and Confirm must be described too when the cmdlet has them)
      Inputs      = @{ 'Type.Name' = 'text' }   or @( @{ Type = '...'; Description = '...' }, ... )
      Outputs     = (same as Inputs)
      Notes       = @('paragraph', ...)
      Examples    = @( @{ Title = '...'; Code = '...'; Remarks = 'text' or @('paragraph', ...) }, ... )
      Links       = @('about_InitCfg', 'Other-Cmdlet', 'https://...')

.PARAMETER ModuleManifest
    The built module's manifest (out/InitCfg/InitCfg.psd1).

.PARAMETER Source
    The folder of the .help.psd1 and about_*.help.txt files (module/help).

.PARAMETER Destination
    The culture folder of the built module (out/InitCfg/en-US); created when missing.

.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Build-Help.ps1 -ModuleManifest out/InitCfg/InitCfg.psd1 -Source module/help -Destination out/InitCfg/en-US
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string]$ModuleManifest,
    [Parameter(Mandatory)][string]$Source,
    [Parameter(Mandatory)][string]$Destination
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$MamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$CommandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$DevNs = 'http://schemas.microsoft.com/maml/dev/2004/10'
$MinExamples = 2
$MaxCodeLine = 75   # example code is shown indented by 4, and wraps at column 80
$KnownKeys = 'Synopsis', 'Description', 'Parameters', 'Inputs', 'Outputs', 'Notes', 'Examples', 'Links'
$CommonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters

$problems = [System.Collections.Generic.List[string]]::new()

# Relative paths are relative to the current location (Import-Module would take a bare relative path as a name).
$ModuleManifest = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($ModuleManifest)
$Source = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Source)
$Destination = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Destination)

# ---- texts ------------------------------------------------------------------------------------------------

# A text is a string (one paragraph; blank lines split it into more) or an array of strings (paragraphs).
function Get-Paragraphs([object]$Text) {
    $out = [System.Collections.Generic.List[string]]::new()
    foreach ($item in @($Text)) {
        if ($null -eq $item) { continue }
        foreach ($para in ([string]$item -split '\r?\n\s*\r?\n')) {
            $para = $para.Trim()
            if ($para) { $out.Add($para) }
        }
    }
    return , $out.ToArray()
}

function Test-HasText([object]$Text) { return (Get-Paragraphs $Text).Count -gt 0 }

# Inputs / Outputs: a hashtable (type name -> text) or a list of @{ Type; Description }.
function Get-TypeEntries([object]$Value, [string]$Where) {
    $entries = [System.Collections.Generic.List[object]]::new()
    if ($null -eq $Value) { return , $entries.ToArray() }
    if ($Value -is [System.Collections.IDictionary]) {
        foreach ($key in @($Value.Keys | Sort-Object)) {
            $entries.Add([pscustomobject]@{ Type = [string]$key; Description = $Value[$key] })
        }
    }
    else {
        foreach ($item in @($Value)) {
            if ($item -isnot [System.Collections.IDictionary] -or -not $item.Contains('Type')) {
                $problems.Add("${Where}: each entry must be a hashtable with Type and Description")
                continue
            }
            $entries.Add([pscustomobject]@{ Type = [string]$item.Type; Description = $item.Description })
        }
    }
    return , $entries.ToArray()
}

# ---- type names -------------------------------------------------------------------------------------------

function Get-FullTypeName([type]$Type) { return $Type.FullName -replace '\+', '.' }

function Get-ShortTypeName([type]$Type) {
    if ($Type.IsArray) { return (Get-ShortTypeName $Type.GetElementType()) + '[]' }
    $name = $Type.Name
    $tick = $name.IndexOf('`')
    if ($tick -ge 0) { $name = $name.Substring(0, $tick) }
    return $name
}

# ---- the MAML writer ----------------------------------------------------------------------------------------

function Write-Paras([System.Xml.XmlWriter]$W, [object]$Text) {
    $paras = Get-Paragraphs $Text
    if ($paras.Count -eq 0) { $W.WriteElementString('maml', 'para', $MamlNs, ''); return }
    foreach ($p in $paras) { $W.WriteElementString('maml', 'para', $MamlNs, $p) }
}

function Write-Description([System.Xml.XmlWriter]$W, [object]$Text) {
    $W.WriteStartElement('maml', 'description', $MamlNs)
    Write-Paras $W $Text
    $W.WriteEndElement()
}

function Write-DevType([System.Xml.XmlWriter]$W, [string]$Name) {
    $W.WriteStartElement('dev', 'type', $DevNs)
    $W.WriteElementString('maml', 'name', $MamlNs, $Name)
    $W.WriteElementString('maml', 'uri', $MamlNs, '')
    $W.WriteEndElement()
}

# One <command:parameter>. $Meta has Name, Type, Required, Position, PipelineInput, Aliases, Description, Default.
function Write-Parameter([System.Xml.XmlWriter]$W, [object]$Meta, [bool]$InSyntax) {
    $isSwitch = $Meta.Type -eq [System.Management.Automation.SwitchParameter]
    $W.WriteStartElement('command', 'parameter', $CommandNs)
    $W.WriteAttributeString('required', $Meta.Required.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', 'true')
    $W.WriteAttributeString('globbing', 'false')
    $W.WriteAttributeString('pipelineInput', $Meta.PipelineInput)
    $W.WriteAttributeString('position', $Meta.Position)
    $W.WriteAttributeString('aliases', $(if ($Meta.Aliases) { $Meta.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $MamlNs, $Meta.Name)
    Write-Description $W $Meta.Description
    if (-not ($isSwitch -and $InSyntax)) {
        $W.WriteStartElement('command', 'parameterValue', $CommandNs)
        $W.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
        $W.WriteAttributeString('variableLength', 'false')
        $W.WriteString((Get-ShortTypeName $Meta.Type))
        $W.WriteEndElement()
    }
    Write-DevType $W (Get-FullTypeName $Meta.Type)
    $W.WriteElementString('dev', 'defaultValue', $DevNs, $Meta.Default)
    $W.WriteEndElement()
}

function Get-PipelineText([bool]$ByValue, [bool]$ByName) {
    if ($ByValue -and $ByName) { return 'True (ByValue, ByPropertyName)' }
    if ($ByValue) { return 'True (ByValue)' }
    if ($ByName) { return 'True (ByPropertyName)' }
    return 'False'
}

function Get-PositionText([int]$Position) {
    if ($Position -lt 0) { return 'named' }
    return [string]$Position
}

# "---- Example 1: Title ----", dashes only as far as an 80-column console (indent 4, wraps at 80) has room.
function Get-ExampleTitle([int]$Number, [string]$Title) {
    $text = "Example ${Number}: $Title"
    $room = 75 - $text.Length - 2
    if ($room -lt 8) { return $text }
    $left = [Math]::Min(26, [Math]::Floor($room / 2))
    return ('-' * $left) + " $text " + ('-' * $left)
}

# ---- per cmdlet -------------------------------------------------------------------------------------------

function Read-HelpSource([System.Management.Automation.CommandInfo]$Command) {
    $file = Join-Path $Source "$($Command.Name).help.psd1"
    if (-not (Test-Path -LiteralPath $file)) {
        $problems.Add("$($Command.Name): no help file $file")
        return $null
    }
    try { $data = Import-PowerShellDataFile -LiteralPath $file }
    catch {
        $problems.Add("$($Command.Name): cannot read ${file}: $($_.Exception.Message)")
        return $null
    }
    $where = [System.IO.Path]::GetFileName($file)
    foreach ($key in $data.Keys) {
        if ($key -notin $KnownKeys) { $problems.Add("${where}: unknown key '$key' (known: $($KnownKeys -join ', '))") }
    }
    if (-not (Test-HasText $data['Synopsis'])) { $problems.Add("${where}: no Synopsis") }
    if (-not (Test-HasText $data['Description'])) { $problems.Add("${where}: no Description") }
    $examples = @($data['Examples'] | Where-Object { $null -ne $_ })
    if ($examples.Count -lt $MinExamples) {
        $problems.Add("${where}: $($examples.Count) example(s); at least $MinExamples are required")
    }
    for ($i = 0; $i -lt $examples.Count; $i++) {
        $ex = $examples[$i]
        if ($ex -isnot [System.Collections.IDictionary]) { $problems.Add("${where}: Examples[$i] is not a hashtable"); continue }
        foreach ($k in $ex.Keys) {
            if ($k -notin 'Title', 'Code', 'Remarks') { $problems.Add("${where}: Examples[$i] has unknown key '$k'") }
        }
        if (-not (Test-HasText $ex['Title'])) { $problems.Add("${where}: Examples[$i] has no Title") }
        if (-not ([string]$ex['Code']).Trim()) { $problems.Add("${where}: Examples[$i] has no Code") }
    }
    return $data
}

# The parameters of a command, each merged over its parameter sets, in declaration order.
function Get-ParameterMeta([System.Management.Automation.CommandInfo]$Command, [hashtable]$Texts, [string]$Where) {
    $byName = [ordered]@{}
    foreach ($set in $Command.ParameterSets) {
        foreach ($p in $set.Parameters) {
            if ($p.Name -in $CommonParameters) { continue }
            if (-not $byName.Contains($p.Name)) { $byName[$p.Name] = [System.Collections.Generic.List[object]]::new() }
            $byName[$p.Name].Add($p)
        }
    }
    $metas = [System.Collections.Generic.List[object]]::new()
    foreach ($name in $byName.Keys) {
        $uses = $byName[$name]
        $first = $uses[0]
        $text = $null
        if ($Texts.ContainsKey($name)) { $text = $Texts[$name] }
        $description = $text
        $default = $null
        if ($text -is [System.Collections.IDictionary]) {
            $description = $text['Description']
            $default = $text['Default']
            foreach ($k in $text.Keys) {
                if ($k -notin 'Description', 'Default') { $problems.Add("${Where}: Parameters.$name has unknown key '$k'") }
            }
        }
        if (-not (Test-HasText $description)) { $problems.Add("${Where}: parameter -$name has no description") }
        if (-not $default) {
            $default = if ($first.ParameterType -eq [System.Management.Automation.SwitchParameter]) { 'False' } else { 'None' }
        }
        $positions = @($uses | ForEach-Object Position | Sort-Object -Unique)
        $metas.Add([pscustomobject]@{
                Name          = $name
                Type          = $first.ParameterType
                # Required when every parameter set that has it requires it.
                Required      = -not ($uses | Where-Object { -not $_.IsMandatory })
                Position      = $(if ($positions.Count -eq 1) { Get-PositionText $positions[0] } else { 'named' })
                PipelineInput = Get-PipelineText ([bool]($uses | Where-Object ValueFromPipeline)) ([bool]($uses | Where-Object ValueFromPipelineByPropertyName))
                Aliases       = @($uses | ForEach-Object { $_.Aliases } | Sort-Object -Unique)
                Description   = $description
                Default       = [string]$default
            })
    }
    foreach ($name in $Texts.Keys) {
        if (-not $byName.Contains($name)) {
            $problems.Add("${Where}: describes parameter -$name, which $($Command.Name) does not have")
        }
    }
    return , $metas.ToArray()
}

function Write-Command([System.Xml.XmlWriter]$W, [System.Management.Automation.CommandInfo]$Command, [hashtable]$Data) {
    $where = "$($Command.Name).help.psd1"
    $texts = @{}
    if ($Data['Parameters']) {
        foreach ($k in $Data['Parameters'].Keys) { $texts[[string]$k] = $Data['Parameters'][$k] }
    }
    $metas = Get-ParameterMeta $Command $texts $where
    $metaByName = @{}
    foreach ($m in $metas) { $metaByName[$m.Name] = $m }

    $W.WriteStartElement('command', 'command', $CommandNs)
    $W.WriteAttributeString('xmlns', 'maml', $null, $MamlNs)
    $W.WriteAttributeString('xmlns', 'command', $null, $CommandNs)
    $W.WriteAttributeString('xmlns', 'dev', $null, $DevNs)

    $W.WriteStartElement('command', 'details', $CommandNs)
    $W.WriteElementString('command', 'name', $CommandNs, $Command.Name)
    $W.WriteElementString('command', 'verb', $CommandNs, $Command.Verb)
    $W.WriteElementString('command', 'noun', $CommandNs, $Command.Noun)
    Write-Description $W $Data['Synopsis']
    $W.WriteEndElement()

    Write-Description $W $Data['Description']

    # Syntax: one item per parameter set, default set first, mandatory parameters in position order first.
    $W.WriteStartElement('command', 'syntax', $CommandNs)
    $sets = @($Command.ParameterSets | Sort-Object { -not $_.IsDefault })
    foreach ($set in $sets) {
        $W.WriteStartElement('command', 'syntaxItem', $CommandNs)
        $W.WriteElementString('maml', 'name', $MamlNs, $Command.Name)
        $params = @($set.Parameters | Where-Object { $_.Name -notin $CommonParameters })
        $ordered = @($params | Where-Object Position -GE 0 | Sort-Object Position) +
                   @($params | Where-Object { $_.Position -lt 0 -and $_.IsMandatory }) +
                   @($params | Where-Object { $_.Position -lt 0 -and -not $_.IsMandatory })
        foreach ($p in $ordered) {
            $m = $metaByName[$p.Name]
            $setMeta = [pscustomobject]@{
                Name          = $p.Name
                Type          = $p.ParameterType
                Required      = $p.IsMandatory
                Position      = Get-PositionText $p.Position
                PipelineInput = Get-PipelineText $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName
                Aliases       = $p.Aliases
                Description   = $m.Description
                Default       = $m.Default
            }
            Write-Parameter $W $setMeta $true
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $CommandNs)
    foreach ($m in $metas) { Write-Parameter $W $m $false }
    $W.WriteEndElement()

    foreach ($kind in @(
            @{ Key = 'Inputs'; List = 'inputTypes'; Item = 'inputType' }
            @{ Key = 'Outputs'; List = 'returnValues'; Item = 'returnValue' })) {
        $entries = Get-TypeEntries $Data[$kind.Key] "$where $($kind.Key)"
        if ($entries.Count -eq 0) { $problems.Add("${where}: no $($kind.Key)") }
        $W.WriteStartElement('command', $kind.List, $CommandNs)
        foreach ($e in $entries) {
            $W.WriteStartElement('command', $kind.Item, $CommandNs)
            Write-DevType $W $e.Type
            Write-Description $W $e.Description
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }

    $W.WriteStartElement('maml', 'alertSet', $MamlNs)
    $W.WriteStartElement('maml', 'alert', $MamlNs)
    Write-Paras $W $Data['Notes']
    $W.WriteEndElement()
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'examples', $CommandNs)
    $n = 0
    foreach ($ex in @($Data['Examples'] | Where-Object { $_ -is [System.Collections.IDictionary] })) {
        $n++
        $W.WriteStartElement('command', 'example', $CommandNs)
        $W.WriteElementString('maml', 'title', $MamlNs, (Get-ExampleTitle $n ([string]$ex['Title']).Trim()))
        $code = ([string]$ex['Code']).Trim("`r", "`n")
        foreach ($line in $code -split '\r?\n') {
            if ($line.Length -gt $MaxCodeLine) {
                $problems.Add("$($Command.Name) example ${n}: code line longer than $MaxCodeLine characters wraps in an 80-column console: $line")
            }
        }
        $W.WriteElementString('dev', 'code', $DevNs, $code)
        $W.WriteStartElement('dev', 'remarks', $DevNs)
        Write-Paras $W $ex['Remarks']
        $W.WriteElementString('maml', 'para', $MamlNs, '') # a blank line before the next example
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $CommandNs)
    foreach ($link in @($Data['Links'] | Where-Object { $_ })) {
        $W.WriteStartElement('maml', 'navigationLink', $MamlNs)
        if ($link -match '^https?://') {
            $W.WriteElementString('maml', 'linkText', $MamlNs, 'Online Version:')
            $W.WriteElementString('maml', 'uri', $MamlNs, $link)
        }
        else {
            $W.WriteElementString('maml', 'linkText', $MamlNs, $link)
            $W.WriteElementString('maml', 'uri', $MamlNs, '')
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement() # command:command
}

# ---- main -------------------------------------------------------------------------------------------------

$module = Import-Module -Name $ModuleManifest -Force -PassThru
$cmdlets = @($module.ExportedCmdlets.Values | Sort-Object Name)
if ($cmdlets.Count -eq 0) { throw "$ModuleManifest exports no cmdlets" }

$sources = @{}
foreach ($c in $cmdlets) { $sources[$c.Name] = Read-HelpSource $c }

$helpFiles = @($cmdlets | ForEach-Object HelpFile | Sort-Object -Unique)
if ($helpFiles.Count -ne 1) { throw "Expected the cmdlets to share one help file, found: $($helpFiles -join ', ')" }

$null = New-Item -ItemType Directory -Force -Path $Destination
$xmlPath = Join-Path $Destination $helpFiles[0]
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$buffer = [System.IO.MemoryStream]::new()
$w = [System.Xml.XmlWriter]::Create($buffer, $settings)
$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')
foreach ($c in $cmdlets) {
    if ($sources[$c.Name]) { Write-Command $w $c $sources[$c.Name] }
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Flush()
$w.Dispose()

$abouts = @(Get-ChildItem -LiteralPath $Source -Filter 'about_*.help.txt' -File)
if ($abouts.Count -eq 0) { $problems.Add("no about_*.help.txt in $Source") }
foreach ($about in $abouts) {
    $lines = Get-Content -LiteralPath $about.FullName
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i].Length -gt 80) { $problems.Add("$($about.Name):$($i + 1): line longer than 80 characters") }
    }
}

if ($problems.Count -gt 0) {
    $problems | ForEach-Object { Write-Host "    help problem: $_" }
    throw "Help is incomplete ($($problems.Count) problem(s)):`n  - " + ($problems -join "`n  - ")
}

[System.IO.File]::WriteAllBytes($xmlPath, $buffer.ToArray())
Write-Host "    wrote $xmlPath ($($cmdlets.Count) cmdlets)"
foreach ($about in $abouts) {
    Copy-Item -LiteralPath $about.FullName -Destination (Join-Path $Destination $about.Name) -Force
    Write-Host "    copied $($about.Name)"
}
