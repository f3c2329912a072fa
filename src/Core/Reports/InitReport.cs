#nullable enable
using InitCfg.Core.Modules;
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
        GC.KeepAlive(model);
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
        return records;
    }

    /// <summary>Mean, unbiased std (null for one element), min and max, computed in float64.</summary>
    public static (double Mean, double? Std, double Min, double Max) Stats(Tensor t)
    {
        long n = t.numel();
        if (n == 0) return (double.NaN, null, double.NaN, double.NaN);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var flat = t.detach().reshape(-1);
        if (n > ExactStatsLimit && flat.dtype == ScalarType.Float32)
        {
            // One Welford pass (libtorch accumulates float32 in double on the CPU) and one min/max pass, as cheap as
            // libtorch's own reductions; the mean and std are then rounded to float32 (relative error ~6e-8).
            var (sd32, mu32) = std_mean(flat, unbiased: true);
            var (lo, hi) = flat.aminmax();
            return (mu32.to(ScalarType.Float64).item<double>(), sd32.to(ScalarType.Float64).item<double>(),
                    lo.to(ScalarType.Float64).item<double>(), hi.to(ScalarType.Float64).item<double>());
        }
        // Float64 in chunks: a whole-tensor float64 copy would double a big tensor's memory. Chunks merge
        // with Chan et al.'s pairwise update of (count, mean, M2).
        double count = 0, mean = 0, m2 = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (long start = 0; start < n; start += StatsChunk)
        {
            long len = Math.Min(StatsChunk, n - start);
            var chunk = flat.narrow(0, start, len);
            var (mn, mx) = chunk.aminmax();
            min = Math.Min(min, mn.to(ScalarType.Float64).item<double>());
            max = Math.Max(max, mx.to(ScalarType.Float64).item<double>());
            var d = chunk.to(ScalarType.Float64);
            // TorchSharp 0.107's var_mean returns a standard deviation (and var ignores unbiased): std_mean is right.
            var (sd, mu) = std_mean(d, unbiased: false);
            double cm = mu.item<double>(), s = sd.item<double>(), cm2 = s * s * len;
            double delta = cm - mean, total = count + len;
            mean += delta * len / total;
            m2 += cm2 + delta * delta * count * len / total;
            count = total;
            d.Dispose();
        }
        double? std = n > 1 ? Math.Sqrt(m2 / (n - 1)) : null;
        return (mean, std, min, max);
    }

    private const long StatsChunk = 1 << 23;

    // Tensors up to this size get their mean and std exactly in float64, as the golden files compute them.
    private const long ExactStatsLimit = 1 << 20;

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
