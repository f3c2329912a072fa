#nullable enable
using System.Text.Json;
using System.Text.RegularExpressions;
using InitCfg.Core.Errors;
using InitCfg.Core.Files;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints.Sharding;

/// <summary>
/// A checkpoint folder in Hugging Face's sharded safetensors layout: shards named as <see cref="ShardPlan"/> names
/// them and <c>model.safetensors.index.json</c> (<c>metadata.total_size</c>, <c>weight_map</c>), which
/// transformers, Accelerate, DeepSpeed and FSDP checkpoint loaders read.
/// </summary>
public static class ShardedSafetensors
{
    private const long MaxIndexBytes = 256L << 20;
    private static readonly Regex ShardFile = new(@"^model-\d{5}-of-\d{5}\.safetensors$", RegexOptions.Compiled);

    /// <summary>How <paramref name="state"/> is cut into shards of at most <paramref name="maxShardBytes"/> bytes.</summary>
    public static ShardPlan Plan(IReadOnlyList<KeyValuePair<string, Tensor>> state, long maxShardBytes) =>
        ShardPlan.Split(state.Select(s => s.Value.numel() * DTypes.Size(s.Value.dtype)).ToList(), maxShardBytes);

    /// <summary>True for a file named as a safetensors index (<c>*.safetensors.index.json</c>).</summary>
    public static bool IsIndexFile(string path) =>
        Path.GetFileName(path).EndsWith(".safetensors.index.json", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(path);

    /// <summary>The checkpoint a Hugging Face folder holds: its index, else its <c>model.safetensors</c>, else null.</summary>
    public static string? FindIn(string folder)
    {
        foreach (var name in new[] { ShardPlan.IndexFileName, ShardPlan.SingleFileName })
        {
            var file = Path.Combine(folder, name);
            if (File.Exists(file)) return file;
        }
        return null;
    }

    /// <summary>
    /// Writes <paramref name="state"/> into <paramref name="folder"/> (created when missing) as shards of at most
    /// <paramref name="maxShardBytes"/> bytes of tensor data plus the index, or as one <c>model.safetensors</c> when
    /// everything fits in one shard, as <c>save_pretrained</c> does. Every file is written through
    /// <see cref="AtomicFile"/> and the index last, so a loader never finds an index naming shards that are not
    /// complete. Without <paramref name="overwrite"/>, a folder that already holds a checkpoint of this layout is
    /// refused before anything is written; with it, shards of the old checkpoint that the new one does not use are
    /// removed once the new index is in place. Returns the index (or the single file) written.
    /// </summary>
    public static string Write(string folder, IReadOnlyList<KeyValuePair<string, Tensor>> state, long maxShardBytes, bool overwrite,
        IProgress<long>? bytesWritten = null)
    {
        using var writer = new ShardWriter(folder, state, maxShardBytes, overwrite, bytesWritten);
        for (int i = 0; i < state.Count; i++) writer.Write(i, state[i].Value);
        var written = writer.Commit();
        GC.KeepAlive(state); // the list holds the tensors' modules, whose finalizers would free them
        return written;
    }

    // As transformers writes it: json.dumps(index, indent=2, sort_keys=True) + "\n".
    internal static void WriteIndex(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> state, ShardPlan plan)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int s = 0; s < plan.Shards.Count; s++)
            foreach (var i in plan.Shards[s]) map[state[i].Key] = plan.Names[s];
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("metadata");
            w.WriteNumber("total_size", plan.TotalSize);
            w.WriteEndObject();
            w.WriteStartObject("weight_map");
            foreach (var (name, file) in map) w.WriteString(name, file);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }

    // The files of a Hugging Face safetensors checkpoint in the folder: its index, single file and shards of any count.
    internal static IEnumerable<string> Existing(string folder)
    {
        if (!Directory.Exists(folder)) return Array.Empty<string>();
        return Directory.EnumerateFileSystemEntries(folder)
            .Where(f => Path.GetFileName(f) is var n && (n == ShardPlan.IndexFileName || n == ShardPlan.SingleFileName || ShardFile.IsMatch(n)))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Opens a sharded checkpoint by its index: every shard named in <c>weight_map</c> is opened and checked (a
    /// plain file in the index's folder, holding exactly the tensors the index gives it), the bytes read on load.
    /// </summary>
    public static CheckpointIndex Open(string indexFile)
    {
        var full = Path.GetFullPath(indexFile);
        var folder = Path.GetDirectoryName(full)!;
        var map = ReadWeightMap(full);
        var owned = new List<IDisposable>();
        try
        {
            var entries = new List<CheckpointEntry>();
            foreach (var group in map.GroupBy(p => p.Value, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var name = group.Key;
                if (name.Length == 0 || name is "." or ".." || Path.GetFileName(name) != name || name.Contains('\\'))
                    throw new InitCfgException(ErrorIds.CheckpointPathEscapes, full,
                        $"checkpoint '{full}' names the shard '{name}', which is not a plain file next to the index; it was refused.");
                var shardPath = Path.Combine(folder, name);
                if (!File.Exists(shardPath))
                    throw PyTorchZipReader.Unreadable(full, Directory.Exists(shardPath)
                        ? $"its shard '{name}' is a directory, not a file" : $"its shard '{name}' does not exist");
                var shard = CheckpointFile.OpenSingleFile(shardPath);
                owned.Add(shard);
                if (shard.Format != CheckpointFormat.Safetensors)
                    throw PyTorchZipReader.Unreadable(full, $"its shard '{name}' is {shard.Format}, not safetensors");
                // The shard's names as written (For with a "module." key keeps DataParallel's prefix on).
                var raw = shard.For(new[] { "module." }).Entries;
                var expected = group.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
                var have = raw.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
                if (expected.Except(have).FirstOrDefault() is { } missing)
                    throw PyTorchZipReader.Unreadable(full, $"the index puts tensor {missing} in '{name}', which does not hold it");
                if (have.Except(expected).FirstOrDefault() is { } extra)
                    throw PyTorchZipReader.Unreadable(full, $"the shard '{name}' holds tensor {extra}, which the index does not give it");
                entries.AddRange(raw);
            }
            return new CheckpointIndex(full, CheckpointFormat.Safetensors, entries, owned);
        }
        catch
        {
            foreach (var d in owned) d.Dispose();
            throw;
        }
    }

    private static List<KeyValuePair<string, string>> ReadWeightMap(string file)
    {
        byte[] bytes;
        using (var fs = RegularFile.OpenRead(file, what => PyTorchZipReader.Unreadable(file, $"it is {what}, not a regular file")))
            bytes = RegularFile.ReadBounded(fs, MaxIndexBytes);
        if (bytes.Length > MaxIndexBytes) throw PyTorchZipReader.Unreadable(file, $"the index is larger than {MaxIndexBytes >> 20} MB");
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("weight_map", out var weightMap) ||
                weightMap.ValueKind != JsonValueKind.Object)
                throw PyTorchZipReader.Unreadable(file, "the index has no weight_map object");
            var result = new List<KeyValuePair<string, string>>();
            foreach (var p in weightMap.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw PyTorchZipReader.Unreadable(file, $"weight_map gives tensor {p.Name} a {p.Value.ValueKind}, not a file name");
                result.Add(new(p.Name, p.Value.GetString()!));
            }
            return result;
        }
        catch (JsonException e)
        {
            throw PyTorchZipReader.Unreadable(file, "the index is not valid JSON (" + e.Message + ")");
        }
    }

}
