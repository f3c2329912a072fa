#nullable enable
using System.Buffers.Binary;
using System.Text;
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints.Pickle;

/// <summary>
/// A pickle reader that only knows what <c>torch.save(state_dict)</c> writes: dicts, lists, tuples, numbers,
/// strings and tensors (<c>_rebuild_tensor_v2</c> over typed storages). Any other global is refused when it is
/// named, before anything could be called, so a checkpoint can never run code. Memory is bounded by the file.
/// </summary>
public sealed class RestrictedUnpickler
{
    private static readonly Dictionary<string, ScalarType> Storages = new()
    {
        ["FloatStorage"] = ScalarType.Float32, ["DoubleStorage"] = ScalarType.Float64, ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16, ["LongStorage"] = ScalarType.Int64, ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16, ["CharStorage"] = ScalarType.Int8, ["ByteStorage"] = ScalarType.Byte,
        ["BoolStorage"] = ScalarType.Bool,
    };

    private static readonly HashSet<string> Callables = new()
    {
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
    };

    private readonly byte[] _data;
    private readonly string _file;
    private int _pos;
    private readonly List<object?> _stack = new();
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = new();

    private RestrictedUnpickler(byte[] data, string file)
    {
        _data = data;
        _file = file;
    }

    /// <summary>Reads one pickle; <paramref name="file"/> names the source in errors.</summary>
    public static object? Load(byte[] data, string file) => new RestrictedUnpickler(data, file).Run();

    private object? Run()
    {
        while (true)
        {
            byte op = U8();
            switch (op)
            {
                case 0x80: U8(); break; // PROTO
                case 0x95: Skip(8); break; // FRAME
                case (byte)'.': return Pop(); // STOP
                case (byte)'(': _marks.Push(_stack.Count); break;
                case (byte)'}': Push(new PickleDict()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)')': Push(new PickleTuple(Array.Empty<object?>())); break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'K': Push((long)U8()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case 0x8a: Push(Long(U8())); break;
                case 0x8b: Push(Long(Length32())); break;
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case (byte)'X': Push(Encoding.UTF8.GetString(Take(Length32()))); break;
                case 0x8c: Push(Encoding.UTF8.GetString(Take(U8()))); break;
                case 0x8d: Push(Encoding.UTF8.GetString(Take(Length64()))); break;
                case (byte)'T': Push(Encoding.Latin1.GetString(Take(Length32()))); break;
                case (byte)'U': Push(Encoding.Latin1.GetString(Take(U8()))); break;
                case (byte)'B': Push(Take(Length32()).ToArray()); break;
                case (byte)'C': Push(Take(U8()).ToArray()); break;
                case (byte)'t': Push(new PickleTuple(PopMark())); break;
                case 0x85: Push(new PickleTuple(new[] { Pop() })); break;
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PickleTuple(new[] { a, b })); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PickleTuple(new[] { a, b, c })); break; }
                case (byte)'q': _memo[U8()] = Peek(); break;
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break;
                case 0x94: _memo[_memo.Count] = Peek(); break;
                case (byte)'h': Push(Memo(U8())); break;
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break;
                case (byte)'c': Push(Global(Line(), Line())); break;
                case 0x93: { var name = Pop() as string; var module = Pop() as string; Push(Global(module ?? "?", name ?? "?")); break; }
                case (byte)'R': { var args = Pop(); var f = Pop(); Push(Call(f, args)); break; }
                case 0x81: { var args = Pop(); var cls = Pop(); Push(Call(cls, args)); break; }
                case (byte)'b': { Pop(); if (Peek() is not PickleDict) throw Bad("BUILD on an object that is not a dict"); break; }
                case (byte)'Q': Push(PersistentLoad(Pop())); break;
                case (byte)'s': { var v = Pop(); var k = Pop(); Dict().Set(k, v); break; }
                case (byte)'u': { var items = PopMark(); var d = Dict(); for (int i = 0; i + 1 < items.Length; i += 2) d.Set(items[i], items[i + 1]); break; }
                case (byte)'a': { var v = Pop(); List().Add(v); break; }
                case (byte)'e': { var items = PopMark(); List().AddRange(items); break; }
                default: throw Bad($"unsupported pickle opcode 0x{op:x2} at byte {_pos - 1}");
            }
        }
    }

    private object Global(string module, string name)
    {
        var full = module + "." + name;
        if (module == "torch" && Storages.ContainsKey(name)) return new PickleGlobal(module, name);
        if (Callables.Contains(full)) return new PickleGlobal(module, name);
        // A tensor type this reader has no dtype for (complex, quantized) is not dangerous, only unsupported.
        if (module == "torch" && name.EndsWith("Storage", StringComparison.Ordinal) && name.Length < 40 && name.All(char.IsLetterOrDigit))
            throw Bad($"tensors of storage type torch.{name} are not supported (supported: {string.Join(", ", Storages.Keys)})");
        throw new InitCfgException(ErrorIds.CheckpointUnsafe, _file,
            $"checkpoint '{_file}' names '{full}', which is not a tensor or a plain container; it was refused without running anything.");
    }

    private object? Call(object? f, object? args)
    {
        if (f is not PickleGlobal g || args is not PickleTuple t) throw Bad("a call on something that is not an allowed global");
        switch (g.FullName)
        {
            case "collections.OrderedDict":
                if (t.Items.Length != 0) throw Bad("OrderedDict with arguments");
                return new PickleDict();
            case "torch._utils._rebuild_tensor_v2":
                if (t.Items.Length < 4 || t.Items[0] is not StorageRef s || t.Items[1] is not long offset)
                    throw Bad("malformed _rebuild_tensor_v2 arguments");
                var size = Ints(t.Items[2]);
                var stride = Ints(t.Items[3]);
                if (size.Length != stride.Length) throw Bad("size and stride of different lengths");
                return new TensorRef(s, offset, size, stride);
            case "torch._utils._rebuild_parameter":
                if (t.Items.Length < 1 || t.Items[0] is not TensorRef tr) throw Bad("malformed _rebuild_parameter arguments");
                return tr;
            default:
                throw Bad($"'{g.FullName}' cannot be called");
        }
    }

    private object PersistentLoad(object? pid)
    {
        if (pid is not PickleTuple { Items: [string tag, PickleGlobal type, var key, _, long numel] } || tag != "storage" ||
            !Storages.TryGetValue(type.Name, out var dtype))
            throw Bad("a persistent id that is not a typed storage");
        if (numel < 0) throw Bad("a storage with a negative size");
        return new StorageRef(Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture)!, dtype, numel);
    }

    private long[] Ints(object? o) => o is PickleTuple t && t.Items.All(x => x is long)
        ? t.Items.Select(x => (long)x!).ToArray()
        : throw Bad("a tensor size or stride that is not a tuple of ints");

    private PickleDict Dict() => Peek() as PickleDict ?? throw Bad("SETITEM on something that is not a dict");
    private List<object?> List() => Peek() as List<object?> ?? throw Bad("APPEND on something that is not a list");

    private object? Memo(long key) => _memo.TryGetValue(key, out var v) ? v : throw Bad($"memo key {key} used before it was set");

    private void Push(object? o) => _stack.Add(o);

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw Bad("stack underflow");

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _stack.Count <= _marks.Peek())) throw Bad("stack underflow");
        var o = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return o;
    }

    private object?[] PopMark()
    {
        if (_marks.Count == 0) throw Bad("no MARK");
        int m = _marks.Pop();
        var items = _stack.GetRange(m, _stack.Count - m).ToArray();
        _stack.RemoveRange(m, _stack.Count - m);
        return items;
    }

    private byte U8() => _pos < _data.Length ? _data[_pos++] : throw Bad("unexpected end of the pickle");

    private ReadOnlySpan<byte> Take(long n)
    {
        if (n < 0 || n > _data.Length - _pos) throw Bad("a length past the end of the pickle");
        var span = _data.AsSpan(_pos, (int)n);
        _pos += (int)n;
        return span;
    }

    private void Skip(int n) => Take(n);
    private long Length32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    private long Length64()
    {
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        return n > (ulong)(_data.Length - _pos) ? throw Bad($"a length of {n} bytes past the end of the pickle") : (long)n;
    }

    private object Long(long n)
    {
        if (n > 8) throw Bad("an integer wider than 64 bits");
        var bytes = Take(n);
        long v = 0;
        for (int i = (int)n - 1; i >= 0; i--) v = (v << 8) | bytes[i];
        if (n > 0 && n < 8 && (bytes[(int)n - 1] & 0x80) != 0) v -= 1L << (int)(8 * n);
        return v;
    }

    private string Line()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0 || end - _pos > 256) throw Bad("a malformed GLOBAL");
        var s = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return s;
    }

    private InitCfgException Bad(string what) =>
        new(ErrorIds.CheckpointUnreadable, _file, $"checkpoint '{_file}' is not a PyTorch state dict this reader accepts: {what}.");
}
