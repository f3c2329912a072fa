#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// Seeded <c>normal_</c> and <c>uniform_</c> on every core with the serial stream's bits. libtorch draws a
/// float32 tensor serially from one Mersenne Twister: <c>uniform_</c> takes one 32-bit draw per element, and
/// <c>normal_</c> of 16 or more contiguous elements takes one per element and then, when the count is not a
/// multiple of 16, 16 more for its last 16 values. So a large tensor splits into chunks on 16-element
/// boundaries whose stream offsets are known; each chunk draws on a worker from its own generator set to the
/// state at its offset (<see cref="Mt19937State"/>), and the caller's generator ends where the serial draw
/// leaves it. Anything else (other dtypes, strided or small tensors, a generator holding a cached normal
/// sample) draws serially as before. Different tensors are drawn at once one level up, by the init walk's
/// <see cref="DrawQueue"/>, from the consumption rules here (<see cref="NormalDraws(Tensor)"/>, <see cref="UniformDraws"/>).
/// </summary>
public static class ParallelDraws
{
    /// <summary>Setting this environment variable to 1 makes every draw serial and libtorch's own (for comparison).</summary>
    public const string SerialVariable = "INITCFG_SERIAL_DRAWS";

    /// <summary>
    /// Whether large draws use every core (default: on, unless $INITCFG_SERIAL_DRAWS is 1). The result is the
    /// same bits either way.
    /// </summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable(SerialVariable) != "1";

    /// <summary>
    /// Fewest elements in one chunk (a multiple of 16): below twice this a tensor draws serially, since a chunk's
    /// worker and generator cost more than its draws save.
    /// </summary>
    public static long ChunkElements
    {
        get => _chunkElements;
        set => _chunkElements = value >= 16 ? value / 16 * 16 : throw new ArgumentOutOfRangeException(nameof(value));
    }

    private static long _chunkElements = 1 << 16;

    // Set on DrawQueue's workers: each draws one whole tensor, so its draws stay on its own thread.
    [ThreadStatic] private static bool _onWorker;

    internal static bool OnWorker { get => _onWorker; set => _onWorker = value; }

    /// <summary>
    /// The 32-bit draws <c>normal_</c> takes for <paramref name="tensor"/>, or null when that is not a function of
    /// its size: libtorch's <c>normal_fill</c> of a contiguous float32 CPU tensor of 16 or more elements takes one
    /// per element, then 16 more when the count is not a multiple of 16; smaller or strided tensors draw Box-Muller
    /// pairs in double and may keep a cached sample.
    /// </summary>
    public static long? NormalDraws(Tensor tensor) => IsPlainFloat(tensor) ? NormalDraws(tensor.numel()) : null;

    // normal_ of n elements of a contiguous float32 CPU tensor.
    internal static long? NormalDraws(long n) => n >= 16 ? n + (n % 16 != 0 ? 16 : 0) : null;

    /// <summary>The 32-bit draws <c>uniform_</c> takes for <paramref name="tensor"/> (one per float32), or null when not known.</summary>
    public static long? UniformDraws(Tensor tensor) => IsPlainFloat(tensor) && tensor.numel() > 0 ? tensor.numel() : null;

    private static bool IsPlainFloat(Tensor t) =>
        t.dtype == ScalarType.Float32 && t.device_type == TorchSharp.DeviceType.CPU && t.is_contiguous();

    /// <summary><c>tensor.normal_(mean, std, generator)</c>, on every core when that gives the same bits.</summary>
    public static void Normal(Tensor tensor, double mean, double std, Generator? generator)
    {
        if (!TryChunked(tensor, generator, normal: true, (part, g) => DrawNormal(part, mean, std, g)))
            DrawNormal(tensor, mean, std, generator);
    }

    private static void DrawNormal(Tensor tensor, double mean, double std, Generator? generator)
    {
        if (!PyTorchDraws.TryNormal(tensor, mean, std, generator)) tensor.normal_(mean, std, generator);
    }

    /// <summary><c>tensor.uniform_(from, to, generator)</c>, on every core when that gives the same bits.</summary>
    public static void Uniform(Tensor tensor, double from, double to, Generator? generator)
    {
        if (!TryChunked(tensor, generator, normal: false, (part, g) => DrawUniform(part, from, to, g)))
            DrawUniform(tensor, from, to, generator);
    }

    private static void DrawUniform(Tensor tensor, double from, double to, Generator? generator)
    {
        if (!PyTorchDraws.TryUniform(tensor, from, to, generator)) tensor.uniform_(from, to, generator);
    }

    private static bool TryChunked(Tensor target, Generator? generator, bool normal, Action<Tensor, Generator> draw)
    {
        long n = target.numel();
        int cores = Environment.ProcessorCount;
        if (!Enabled || _onWorker || cores < 2 || n < 2 * _chunkElements || !IsPlainFloat(target))
            return false;
        Mt19937State? start;
        using (var bytes = generator is null ? get_rng_state() : generator.get_state())
            start = Mt19937State.FromBytes(bytes.bytes);
        if (start is null || start.HasCachedNormal) return false;

        // A few chunks per core even out uneven workers; every chunk but the last is a whole number of
        // 16-value blocks, and the last (at least one chunk long) takes normal_'s tail redraw, as the whole would.
        long chunks = Math.Max(2, Math.Min(4L * cores, n / _chunkElements));
        long size = n / chunks / 16 * 16;
        long consumed = n + (normal && n % 16 != 0 ? 16 : 0);

        using var flat = target.view(-1);
        var work = new List<Task>();
        var cursor = start;
        for (long c = 0; c < chunks; c++)
        {
            long from = c * size, length = c == chunks - 1 ? n - from : size;
            var state = cursor.ToBytes();
            // Workers run their draws while this thread twists the stream on to the next chunk's start.
            work.Add(Task.Run(() => DrawChunk(flat, from, length, state, draw)));
            if (c < chunks - 1) cursor.Advance(size);
        }
        try { Task.WaitAll(work.ToArray()); }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        // The cursor stands at the last chunk's start: past it are the last chunk's draws and normal_'s tail.
        cursor.Advance(consumed - (chunks - 1) * size);
        using var end = tensor(cursor.ToBytes(), ScalarType.Byte);
        if (generator is null) set_rng_state(end);
        else generator.set_state(end);
        return true;
    }

    private static void DrawChunk(Tensor flat, long from, long length, byte[] state, Action<Tensor, Generator> draw)
    {
        // Grad mode is per thread in libtorch: a worker starts with it on, and parameters refuse in-place draws.
        using var noGrad = no_grad();
        using var generator = new Generator();
        using (var bytes = tensor(state, ScalarType.Byte)) generator.set_state(bytes);
        using var part = flat.narrow(0, from, length);
        draw(part, generator);
    }
}
