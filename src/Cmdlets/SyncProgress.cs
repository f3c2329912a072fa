#nullable enable
namespace InitCfg.Cmdlets;

/// <summary>
/// Reports progress on the caller's thread. <see cref="Progress{T}"/> posts to the thread pool, and a cmdlet may
/// only write progress from its pipeline thread.
/// </summary>
internal sealed class SyncProgress<T> : IProgress<T>
{
    private readonly Action<T> _handler;

    public SyncProgress(Action<T> handler) => _handler = handler;

    public void Report(T value) => _handler(value);
}
