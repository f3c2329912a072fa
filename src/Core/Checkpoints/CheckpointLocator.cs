#nullable enable
using System.Text.RegularExpressions;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// Turns a Pretrained <c>checkpoint</c> into a local file: a path as it is, or a URI (<c>torchvision://</c>,
/// <c>open-mmlab://</c>, <c>http(s)://</c>) resolved in the torch hub cache folder. There is no download: a missing
/// file is an error that says where to put it. A URI can never reach outside the cache folder.
/// </summary>
public sealed class CheckpointLocator
{
    /// <summary>Environment variable that points the cache elsewhere.</summary>
    public const string DirectoryVariable = "INITCFG_CHECKPOINT_DIR";

    private static readonly Regex SafeName = new(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$", RegexOptions.Compiled);

    // torchvision's file names for the resnet family (IMAGENET1K_V1 weights).
    private static readonly Dictionary<string, string> Torchvision = new(StringComparer.OrdinalIgnoreCase)
    {
        ["resnet18"] = "resnet18-f37072fd.pth",
        ["resnet34"] = "resnet34-b627a593.pth",
        ["resnet50"] = "resnet50-0676ba61.pth",
        ["resnet101"] = "resnet101-63fe2227.pth",
        ["resnet152"] = "resnet152-394f9c45.pth",
    };

    /// <summary>Uses <paramref name="cacheDirectory"/>, else $INITCFG_CHECKPOINT_DIR, $TORCH_HOME/hub/checkpoints or ~/.cache/torch/hub/checkpoints.</summary>
    public CheckpointLocator(string? cacheDirectory = null, string? baseDirectory = null)
    {
        CacheDirectory = Path.GetFullPath(cacheDirectory ?? DefaultCacheDirectory());
        BaseDirectory = baseDirectory ?? Environment.CurrentDirectory;
    }

    /// <summary>Where URIs resolve.</summary>
    public string CacheDirectory { get; }

    /// <summary>Where relative paths resolve.</summary>
    public string BaseDirectory { get; }

    /// <summary>The default cache folder, as torch.hub computes it.</summary>
    public static string DefaultCacheDirectory()
    {
        var own = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(own)) return own;
        var torchHome = Environment.GetEnvironmentVariable("TORCH_HOME");
        if (string.IsNullOrEmpty(torchHome))
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var cache = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
            torchHome = Path.Combine(cache, "torch");
        }
        return Path.Combine(torchHome, "hub", "checkpoints");
    }

    /// <summary>The local file for a checkpoint string; <paramref name="where"/> names the config entry in errors.</summary>
    public string Resolve(string checkpoint, string where)
    {
        int scheme = checkpoint.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            if (checkpoint == "~" || checkpoint.StartsWith("~/", StringComparison.Ordinal))
                checkpoint = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + checkpoint[1..];
            var path = Path.GetFullPath(Path.Combine(BaseDirectory, checkpoint));
            if (Directory.Exists(path) && Sharding.ShardedSafetensors.FindIn(path) is { } inFolder) return inFolder;
            if (Directory.Exists(path))
                throw new InitCfgException(ErrorIds.CheckpointUnreadable, where, $"checkpoint '{path}' is a directory, not a checkpoint file (a folder is read only when it holds model.safetensors.index.json or model.safetensors).");
            if (!File.Exists(path))
                throw new InitCfgException(ErrorIds.CheckpointNotFound, where, $"checkpoint '{path}' does not exist.");
            return path;
        }
        var kind = checkpoint[..scheme].ToLowerInvariant();
        var rest = checkpoint[(scheme + 3)..];
        string name = kind switch
        {
            "torchvision" or "open-mmlab" or "openmmlab" => rest,
            "http" or "https" => rest.Split('?', '#')[0].Split('/').Last(),
            _ => throw new InitCfgException(ErrorIds.CheckpointNotFound, where,
                $"'{checkpoint}': unsupported scheme '{kind}://' (use a path, torchvision://, open-mmlab:// or http(s)://)."),
        };
        if (!SafeName.IsMatch(name) || name.Contains(".."))
            throw new InitCfgException(ErrorIds.CheckpointPathEscapes, where,
                $"'{checkpoint}' does not name a plain file in the checkpoint folder; it was refused.");

        var candidates = new List<string>();
        if (kind == "torchvision" && Torchvision.TryGetValue(name, out var known)) candidates.Add(known);
        if (kind is "http" or "https") candidates.Add(name);
        else
        {
            candidates.Add(name + ".pth");
            if (Directory.Exists(CacheDirectory))
                candidates.AddRange(Directory.EnumerateFiles(CacheDirectory, name + "-*.pth").Select(Path.GetFileName).OrderBy(n => n)!);
        }
        foreach (var candidate in candidates.Distinct())
        {
            var file = Path.Combine(CacheDirectory, candidate);
            if (File.Exists(file)) return Contained(file, checkpoint, where);
        }
        var expected = Path.Combine(CacheDirectory, candidates[0]);
        throw new InitCfgException(ErrorIds.CheckpointNotFound, where,
            $"checkpoint '{checkpoint}' is not in the local cache and there is no network here: put the file at '{expected}'" +
            $" (or point ${DirectoryVariable} / -CheckpointDir at the folder that holds it).");
    }

    // A symlink in the cache folder must not lead out of it.
    private string Contained(string file, string checkpoint, string where)
    {
        var real = new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file;
        var root = new DirectoryInfo(CacheDirectory).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? CacheDirectory;
        var rootWithSlash = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        var cacheWithSlash = Path.TrimEndingDirectorySeparator(CacheDirectory) + Path.DirectorySeparatorChar;
        if (!real.StartsWith(rootWithSlash, StringComparison.Ordinal) && !real.StartsWith(cacheWithSlash, StringComparison.Ordinal))
            throw new InitCfgException(ErrorIds.CheckpointPathEscapes, where,
                $"'{checkpoint}' resolves to '{real}', outside the checkpoint folder '{CacheDirectory}'; it was refused.");
        return real;
    }
}
