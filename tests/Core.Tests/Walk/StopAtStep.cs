using InitCfg.Core.Walk;

namespace InitCfg.Core.Tests.Walk;

/// <summary>Progress that stops the run at its N-th report, as Ctrl+C does (PipelineStoppedException from WriteProgress).</summary>
internal sealed class StopAtStep : IProgress<InitProgress>
{
    private int _left;

    public StopAtStep(int step) => _left = step;

    public void Report(InitProgress value)
    {
        if (--_left == 0) throw new OperationCanceledException("stopped at a step (as Ctrl+C)");
    }
}
