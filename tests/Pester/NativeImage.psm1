<#
.SYNOPSIS
    Reads what a native library is built for and which libraries it loads, from the file itself (PE imports and
    delay imports, Mach-O LC_*_DYLIB commands, ELF e_machine), so outputs for Windows and macOS can be checked here.
#>

Set-StrictMode -Version Latest

function Get-NativeImage {
    <#
    .SYNOPSIS
        Describes one file: Format (PE, MachO, ELF or $null), Managed (a .NET assembly), Architecture, Imports and
        (Mach-O) Id, the install name.
    #>
    param([Parameter(Mandatory)][string]$Path)
    $b = [IO.File]::ReadAllBytes($Path)
    $u16 = { param($o) [BitConverter]::ToUInt16($b, $o) }
    $u32 = { param($o) [BitConverter]::ToUInt32($b, $o) }
    $str = {
        param($o)
        $end = [Array]::IndexOf($b, [byte]0, $o)
        [Text.Encoding]::ASCII.GetString($b, $o, $end - $o)
    }
    $result = [ordered]@{ Path = $Path; Name = Split-Path -Leaf $Path; Format = $null; Managed = $false; Architecture = $null; Imports = @(); Id = $null }
    if ($b.Length -lt 64) { return [pscustomobject]$result }

    if ($b[0] -eq 0x4D -and $b[1] -eq 0x5A) {
        $pe = [int](& $u32 0x3C)
        $result.Format = 'PE'
        $machine = & $u16 ($pe + 4)
        $sections = & $u16 ($pe + 6)
        $optSize = & $u16 ($pe + 20)
        $opt = $pe + 24
        $dirs = if ((& $u16 $opt) -eq 0x20b) { $opt + 112 } else { $opt + 96 }
        $result.Architecture = switch ($machine) { 0x8664 { 'x64' } 0xAA64 { 'arm64' } 0x14c { 'x86' } default { '{0:x}' -f $machine } }
        $table = $opt + $optSize
        $toOffset = {
            param([uint32]$rva)
            for ($i = 0; $i -lt $sections; $i++) {
                $s = $table + 40 * $i
                $va = & $u32 ($s + 12); $size = [Math]::Max((& $u32 ($s + 8)), (& $u32 ($s + 16)))
                if ($rva -ge $va -and $rva -lt $va + $size) { return [int]($rva - $va + (& $u32 ($s + 20))) }
            }
            return -1
        }
        # Directory 14 is the CLI header: a managed assembly, whose machine field says nothing about its platform.
        $result.Managed = (& $u32 ($dirs + 14 * 8)) -ne 0
        $imports = [Collections.Generic.List[string]]::new()
        $import = & $toOffset (& $u32 ($dirs + 8))
        if ((& $u32 ($dirs + 8)) -ne 0 -and $import -ge 0) {
            for ($d = $import; (& $u32 ($d + 12)) -ne 0; $d += 20) { $imports.Add((& $str (& $toOffset (& $u32 ($d + 12))))) }
        }
        $delay = & $toOffset (& $u32 ($dirs + 13 * 8))
        if ((& $u32 ($dirs + 13 * 8)) -ne 0 -and $delay -ge 0) {
            for ($d = $delay; (& $u32 ($d + 4)) -ne 0; $d += 32) { $imports.Add((& $str (& $toOffset (& $u32 ($d + 4))))) }
        }
        $result.Imports = @($imports)
    }
    elseif ((& $u32 0) -eq 0xFEEDFACFu -or (& $u32 0) -eq 0xBEBAFECAu) {
        $result.Format = 'MachO'
        $base = 0
        if ((& $u32 0) -eq 0xBEBAFECAu) {
            # A universal binary (big-endian fat header): read its arm64 slice, and say it is universal.
            $be = { param($o) [uint32](([uint32]$b[$o] -shl 24) -bor ([uint32]$b[$o + 1] -shl 16) -bor ([uint32]$b[$o + 2] -shl 8) -bor $b[$o + 3]) }
            $slices = for ($i = 0; $i -lt (& $be 4); $i++) { [pscustomobject]@{ Cpu = & $be (8 + 20 * $i); Offset = & $be (16 + 20 * $i) } }
            $arm = @($slices | Where-Object Cpu -eq 0x0100000Cu)
            $result.Architecture = 'universal(' + (($slices | ForEach-Object { switch ($_.Cpu) { 0x0100000Cu { 'arm64' } 0x01000007u { 'x64' } default { 'other' } } }) -join ',') + ')'
            if ($arm.Count -eq 0) { return [pscustomobject]$result }
            $base = [int]$arm[0].Offset
        }
        else {
            $cpu = & $u32 4
            $result.Architecture = switch ($cpu) { 0x0100000Cu { 'arm64' } 0x01000007u { 'x64' } default { '{0:x}' -f $cpu } }
        }
        $imports = [Collections.Generic.List[string]]::new()
        $o = $base + 32
        for ($i = 0; $i -lt (& $u32 ($base + 16)); $i++) {
            $cmd = & $u32 $o
            # LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB, LC_LAZY_LOAD_DYLIB, LC_LOAD_UPWARD_DYLIB
            if ($cmd -in 0xCu, 0x80000018u, 0x8000001Fu, 0x20u, 0x80000023u) { $imports.Add((& $str ($o + [int](& $u32 ($o + 8))))) }
            if ($cmd -eq 0xDu) { $result.Id = & $str ($o + [int](& $u32 ($o + 8))) }  # LC_ID_DYLIB: its install name
            $o += [int](& $u32 ($o + 4))
        }
        $result.Imports = @($imports)
    }
    elseif ($b[0] -eq 0x7F -and $b[1] -eq 0x45 -and $b[2] -eq 0x4C -and $b[3] -eq 0x46) {
        $result.Format = 'ELF'
        $machine = & $u16 18
        $result.Architecture = switch ($machine) { 0x3E { 'x64' } 0xB7 { 'arm64' } default { '{0:x}' -f $machine } }
    }
    [pscustomobject]$result
}

Export-ModuleMember -Function Get-NativeImage
