#nullable enable
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using InitCfg.Core.Configs;

namespace InitCfg.Cmdlets.Completers;

/// <summary>Completes -Path with folders and config files (.py, .yaml, .yml, .json).</summary>
public sealed class ConfigFileCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? "").Trim('\'', '"');
        int slash = word.LastIndexOfAny(new[] { '/', '\\' });
        var typedFolder = slash >= 0 ? word[..(slash + 1)] : "";
        var prefix = word[(slash + 1)..];
        string folder;
        try { folder = Resolve(typedFolder.Length == 0 ? "." : typedFolder); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or System.Security.SecurityException) { yield break; }
        if (!Directory.Exists(folder)) yield break;
        IEnumerable<FileSystemInfo> entries;
        try
        {
            var dir = new DirectoryInfo(folder);
            entries = dir.EnumerateDirectories(prefix + "*").Cast<FileSystemInfo>()
                .Concat(dir.EnumerateFiles(prefix + "*").Where(f => ConfigFiles.Extensions.Contains(f.Extension.ToLowerInvariant())))
                .OrderBy(e => e is FileInfo).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Take(500).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { yield break; }
        foreach (var entry in entries)
        {
            var text = typedFolder + entry.Name + (entry is DirectoryInfo ? "/" : "");
            var quoted = text.IndexOfAny(new[] { ' ', '\'', '$', '`', '(', ')', '{', '}', ';', '&', '@', '#' }) >= 0 ? "'" + text.Replace("'", "''") + "'" : text;
            yield return new CompletionResult(quoted, entry.Name, entry is DirectoryInfo ? CompletionResultType.ProviderContainer : CompletionResultType.ProviderItem, entry.FullName);
        }
    }

    // Relative paths are relative to PowerShell's current location, not the process's working folder.
    internal static string Resolve(string path)
    {
        try
        {
            if (Runspace.DefaultRunspace?.SessionStateProxy?.Path is { } paths)
                return paths.GetUnresolvedProviderPathFromPSPath(path);
        }
        catch (Exception e) when (e is PSInvalidOperationException or InvalidOperationException or ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException) { }
        return Path.GetFullPath(path);
    }
}
