#nullable enable
using System.Management.Automation;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Cmdlets;

/// <summary>Takes a model's lock for a cmdlet: waits while another runspace uses the model, and gives up on Ctrl+C.</summary>
internal static class ModelGuard
{
    /// <summary>The model's lock; throws ModelBusy/ModelDisposed (InitCfgException) or PipelineStoppedException.</summary>
    public static IDisposable Enter(Cmdlet cmdlet, nn.Module model)
    {
        while (true)
        {
            if (ModelLock.TryAcquire(model, TimeSpan.FromMilliseconds(100)) is { } held) return held;
            if (cmdlet.Stopping) throw new PipelineStoppedException();
        }
    }
}
