using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Sets VER_FLG_WEAK on the GLIBCXX version needs of an ELF64 little-endian library that the system's
// libstdc++ does not define, provided no dynamic symbol but std::ios_base_library_init is bound to them.
public class RelaxMissingGlibcxxVersions : Task
{
    [Required] public string Library { get; set; } = "";

    const uint ShtDynsym = 11, ShtVerneed = 0x6ffffffe, ShtVersym = 0x6fffffff;
    const ushort VerFlgWeak = 0x2;
    const string AllowedSymbol = "_ZSt21ios_base_library_initv";
    static readonly string[] LibDirs = { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib" };

    public override bool Execute()
    {
        var system = LibDirs.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
        if (system == null) { Log.LogMessage(MessageImportance.Low, "No system libstdc++ found; nothing to patch."); return true; }
        var systemBytes = File.ReadAllBytes(system);
        var bytes = File.ReadAllBytes(Library);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[4] != 2 || bytes[5] != 1)
        { Log.LogWarning("{0} is not an ELF64 little-endian file; left alone.", Library); return true; }

        long shoff = BitConverter.ToInt64(bytes, 0x28);
        int shentsize = BitConverter.ToUInt16(bytes, 0x3A), shnum = BitConverter.ToUInt16(bytes, 0x3C);
        var sections = Enumerable.Range(0, shnum).Select(i => new Section(bytes, shoff + (long)i * shentsize)).ToArray();
        var verneed = sections.FirstOrDefault(s => s.Type == ShtVerneed);
        var versym = sections.FirstOrDefault(s => s.Type == ShtVersym);
        var dynsym = sections.FirstOrDefault(s => s.Type == ShtDynsym);
        if (verneed == null || versym == null || dynsym == null) return true;
        var strtab = sections[verneed.Link];

        var missing = new List<(long FlagsOffset, ushort Index, string Name)>();
        long vn = verneed.Offset;
        for (uint n = 0; n < verneed.Info; n++)
        {
            int cnt = BitConverter.ToUInt16(bytes, (int)vn + 2);
            long aux = vn + BitConverter.ToUInt32(bytes, (int)vn + 8);
            for (int a = 0; a < cnt; a++)
            {
                ushort flags = BitConverter.ToUInt16(bytes, (int)aux + 4);
                ushort other = BitConverter.ToUInt16(bytes, (int)aux + 6);
                string name = ReadString(bytes, strtab.Offset + BitConverter.ToUInt32(bytes, (int)aux + 8));
                if (name.StartsWith("GLIBCXX_") && (flags & VerFlgWeak) == 0 && !Defines(systemBytes, name))
                    missing.Add((aux + 4, other, name));
                aux += BitConverter.ToUInt32(bytes, (int)aux + 12);
            }
            vn += BitConverter.ToUInt32(bytes, (int)vn + 12);
        }
        if (missing.Count == 0) { Log.LogMessage(MessageImportance.Low, "{0}: system libstdc++ has every GLIBCXX version it needs.", Library); return true; }

        var indices = new HashSet<ushort>(missing.Select(m => m.Index));
        var dynstr = sections[dynsym.Link];
        long symbols = dynsym.Size / 24;
        for (long i = 0; i < symbols; i++)
        {
            ushort ver = (ushort)(BitConverter.ToUInt16(bytes, (int)(versym.Offset + i * 2)) & 0x7fff);
            if (!indices.Contains(ver)) continue;
            string sym = ReadString(bytes, dynstr.Offset + BitConverter.ToUInt32(bytes, (int)(dynsym.Offset + i * 24)));
            if (sym != AllowedSymbol)
            {
                Log.LogWarning("{0}: symbol {1} needs a GLIBCXX version the system lacks; not patching (TorchSharp will not load).", Library, sym);
                return true;
            }
        }
        foreach (var m in missing)
        {
            ushort flags = BitConverter.ToUInt16(bytes, (int)m.FlagsOffset);
            BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(bytes, m.FlagsOffset);
            Log.LogMessage(MessageImportance.High, "{0}: marked {1} optional (system libstdc++ lacks it).", Path.GetFileName(Library), m.Name);
        }
        var tmp = Library + ".patching";
        File.WriteAllBytes(tmp, bytes);
        File.Copy(tmp, Library, true);
        File.Delete(tmp);
        return true;
    }

    static bool Defines(byte[] lib, string version)
    {
        var needle = Encoding.ASCII.GetBytes("\0" + version + "\0");
        for (int i = 0; i + needle.Length <= lib.Length; i++)
        {
            if (lib[i] != 0) continue;
            int k = 1;
            while (k < needle.Length && lib[i + k] == needle[k]) k++;
            if (k == needle.Length) return true;
        }
        return false;
    }

    static string ReadString(byte[] b, long offset)
    {
        int end = Array.IndexOf(b, (byte)0, (int)offset);
        return Encoding.ASCII.GetString(b, (int)offset, end - (int)offset);
    }

    sealed class Section
    {
        public uint Type, Link, Info; public long Offset, Size;
        public Section(byte[] b, long at)
        {
            Type = BitConverter.ToUInt32(b, (int)at + 4);
            Offset = BitConverter.ToInt64(b, (int)at + 24);
            Size = BitConverter.ToInt64(b, (int)at + 32);
            Link = BitConverter.ToUInt32(b, (int)at + 40);
            Info = BitConverter.ToUInt32(b, (int)at + 44);
        }
    }
}
