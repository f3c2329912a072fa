#nullable enable
using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// Different tensors drawn at once, with the serial stream's bits. A step whose stream consumption is a known
/// function of its tensors' sizes (<see cref="InitializerBase.StreamDraws"/>) starts at a known position: the queue
/// keeps that position (<see cref="Mt19937State"/>), gives the step a generator set to it and runs it on a worker,
/// and moves on to the next step at once. The caller's generator is set to the position the serial walk would
/// leave before anything else draws from it (<see cref="Flush"/>). Each worker checks that its generator ends
/// where the queue said it would, so a wrong consumption rule fails loudly instead of shifting later tensors.
/// </summary>
public sealed class DrawQueue
{
    // A step at least this long (8M draws by default) draws on the walk's own thread, split into chunks on every
    // core (ParallelDraws), so that one large tensor alone still uses them all. Below that a whole tensor is one
    // worker task: measured on ResNet-50, chunking its 2-8M tensors inline kept the walk's thread drawing while
    // the workers starved (0.97 of serial); whole tensors on the workers gave 0.53-0.67.
    private static long InlineDraws => 128 * ParallelDraws.ChunkElements;

    private readonly Generator? _generator;
    private readonly Dictionary<Tensor, Task> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly List<Task> _tasks = new();
    private Mt19937State? _cursor;

    /// <summary>Draws for <paramref name="generator"/> (null: the global generator).</summary>
    public DrawQueue(Generator? generator) => _generator = generator;

    /// <summary>
    /// Runs <paramref name="fill"/> (which writes only <paramref name="writes"/> and takes exactly
    /// <paramref name="draws"/> 32-bit draws from the generator it is given) on a worker, or on this thread for
    /// long draws; false when it cannot (draws are serial, or the generator holds a cached normal sample): the
    /// caller then flushes and runs it in order.
    /// </summary>
    public bool TryRun(Tensor[] writes, long draws, Action<Generator?> fill)
    {
        if (!ParallelDraws.Enabled || Environment.ProcessorCount < 2 || draws < 0) return false;
        var before = new List<Task>();
        foreach (var t in writes)
            if (_pending.TryGetValue(t, out var p)) before.Add(p);
        if (before.Count > 0) Wait(before); // a later step writing the same tensor: its order decides the value

        if (draws == 0)
        {
            fill(_generator); // takes nothing from the stream: here, at once
            return true;
        }
        if (_cursor is null)
        {
            using var bytes = _generator is null ? get_rng_state() : _generator.get_state();
            _cursor = Mt19937State.FromBytes(bytes.bytes);
            if (_cursor is null || _cursor.HasCachedNormal)
            {
                _cursor = null; // not a pure stream position: this step draws in order (and the next looks again)
                return false;
            }
        }
        if (draws >= InlineDraws)
        {
            // On this thread, with chunks on every core once the workers are done (their tasks would queue ahead of
            // the chunks), from the caller's generator set to the position; the cursor then reads where it ended.
            Flush();
            fill(_generator);
            return true;
        }
        var start = _cursor.ToBytes();
        _cursor.Advance(draws);
        var end = _cursor.ToBytes();
        var task = Task.Run(() => Work(start, end, fill));
        _tasks.Add(task);
        foreach (var t in writes) _pending[t] = task;
        return true;
    }

    private static void Work(byte[] start, byte[] end, Action<Generator?> fill)
    {
        // Grad mode is per thread in libtorch: a worker starts with it on, and parameters refuse in-place writes.
        using var noGrad = no_grad();
        using var generator = new Generator();
        Set(generator, start);
        ParallelDraws.OnWorker = true; // one tensor per worker: its draws stay on this thread
        try { fill(generator); }
        finally { ParallelDraws.OnWorker = false; }
        Check(generator, end);
    }

    /// <summary>
    /// Waits for every queued step and sets the caller's generator to where the serial walk would have left it;
    /// the first failure of a step is thrown (after all have ended, so nothing writes while a rollback runs).
    /// </summary>
    public void Flush()
    {
        var tasks = _tasks.ToArray();
        _tasks.Clear();
        _pending.Clear();
        var cursor = _cursor;
        _cursor = null; // the next step reads the generator again: a serial step may draw from it meanwhile
        if (tasks.Length > 0)
        {
            try { Wait(tasks); }
            finally { if (cursor is not null) Set(_generator, cursor.ToBytes()); }
        }
        else if (cursor is not null) Set(_generator, cursor.ToBytes());
    }

    /// <summary>Waits for every queued step without throwing (before a rollback puts the values back).</summary>
    public void Drain()
    {
        try { Task.WaitAll(_tasks.ToArray()); }
        catch (AggregateException) { }
        _tasks.Clear();
        _pending.Clear();
        _cursor = null;
    }

    private static void Wait(IEnumerable<Task> tasks)
    {
        try { Task.WaitAll(tasks.ToArray()); }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static void Set(Generator? generator, byte[] state)
    {
        using var bytes = tensor(state, ScalarType.Byte);
        if (generator is null) set_rng_state(bytes);
        else generator.set_state(bytes);
    }

    private static void Check(Generator? generator, byte[] expected)
    {
        using var bytes = generator is null ? get_rng_state() : generator.get_state();
        if (!bytes.bytes.SequenceEqual(expected))
            throw new InvalidOperationException("InitCfg internal error: an initializer took a different number of draws than its stream rule says; set INITCFG_SERIAL_DRAWS=1 to draw serially.");
    }
}
