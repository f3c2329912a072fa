#nullable enable
namespace InitCfg.Core.Initializers;

/// <summary>A file's size and last write time: what tells a checkpoint changed between planning and loading.</summary>
internal readonly record struct FileStamp(long Length, DateTime Written)
{
    /// <summary>The file's stamp now, or null when it no longer exists.</summary>
    public static FileStamp? Of(string file)
    {
        var info = new FileInfo(file);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : null;
    }
}
