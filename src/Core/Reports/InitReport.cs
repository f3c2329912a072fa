#nullable enable
using InitCfg.Core.Modules;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Walk;
using System.Collections.Concurrent;
using System.Text;
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Reports;

/// <summary>Builds the per-parameter init report of a model, and MMEngine's log text of it.</summary>
public static class InitReport
{
    /// <summary>One record per parameter, in <c>named_parameters</c> order.</summary>
    public static IReadOnlyList<ParameterInitRecord> For(nn.Module model)
    {
        var records = new List<ParameterInitRecord>();
        var parameters = model.named_parameters().ToArray();
        // Each tensor's statistics are its own: computed on every core, largest first (so none is left alone at
        // the end), each exactly as on one thread.
        var stats = new (double Mean, double? Std, double Min, double Max)[parameters.Length];
        var order = Enumerable.Range(0, parameters.Length).OrderByDescending(i => parameters[i].parameter.numel()).ToArray();
        Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering), i => stats[i] = Stats(parameters[i].parameter));
        for (int i = 0; i < parameters.Length; i++)
        {
            var (name, p) = parameters[i];
            var write = ParameterWrites.Get(p);
            var (mean, std, min, max) = stats[i];
            records.Add(new ParameterInitRecord
            {
                Name = name,
                Shape = p.shape,
                InitInfo = write?.InitInfo,
                Initializer = write?.Initializer,
                Arguments = write?.Arguments,
                ModulePath = write?.ModulePath,
                ConfigPath = write?.ConfigPath,
                Written = write?.Written ?? false,
                Elements = p.numel(),
                Mean = mean,
                Std = std,
                Min = min,
                Max = max,
            });
        }
        // Until every tensor was read (shape and numel above too): a finalized norm layer disposes its own.
        GC.KeepAlive(model);
        return records;
    }

    /// <summary>
    /// Mean, unbiased std (null for one element), min and max, computed in float64. A tensor of a lazy model has
    /// no values: its figures are the ones kept when it was streamed into shards, or NaN before that.
    /// </summary>
    public static (double Mean, double? Std, double Min, double Max) Stats(Tensor t) =>
        t.device_type == TorchSharp.DeviceType.META ? LazyModel.StatsOf(t) ?? (double.NaN, null, double.NaN, double.NaN) : TensorStats.Of(t);

    /// <summary>
    /// MMEngine's <c>_dump_init_info</c> text: a header, then per parameter
    /// <c>\nNAME - torch.Size([..]): \nINFO \n</c>.
    /// </summary>
    public static string ToLog(nn.Module model)
    {
        var sb = new StringBuilder("Name of parameter - Initialization information\n");
        foreach (var r in For(model))
            sb.Append('\n').Append(r.Name).Append(" - torch.Size(").Append(r.ShapeText).Append("): \n")
              .Append(r.InitInfo ?? "Not initialized: init_weights has not run on this model").Append(" \n");
        return sb.ToString();
    }

    /// <summary>
    /// <see cref="Summarize(IEnumerable{ParameterInitRecord})"/> for a model: when it was built without a seed, the
    /// tensors nothing wrote are grouped as "(none: unseeded constructor values)", since no seed reproduces them.
    /// </summary>
    public static IReadOnlyList<InitSummaryRow> Summarize(nn.Module model, IEnumerable<ParameterInitRecord> records)
    {
        var rows = Summarize(records);
        return Modules.InitAttachment.BuiltUnseeded(model)
            ? rows.Select(r => r.Initializer == "(none)" ? r with { Initializer = UnseededRow } : r).ToArray()
            : rows;
    }

    /// <summary>The summary row of tensors that keep constructor values drawn in an unseeded build.</summary>
    public const string UnseededRow = "(none: unseeded constructor values)";

    /// <summary>Per initializer: how many tensors and elements it wrote (nothing-wrote rows grouped as "(none)").</summary>
    public static IReadOnlyList<InitSummaryRow> Summarize(IEnumerable<ParameterInitRecord> records) =>
        records.GroupBy(r => r.Written ? r.Initializer ?? "(user-defined)" : "(none)")
               .Select(g => new InitSummaryRow(g.Key, g.Count(), g.Sum(r => r.Elements)))
               .OrderByDescending(r => r.Elements)
               .ToArray();
}
