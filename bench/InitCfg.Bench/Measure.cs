using System.Diagnostics;

namespace InitCfg.Bench;

/// <summary>Interleaved timing: engine and floor alternate in one process, so both see the same machine state.</summary>
internal static class Measure
{
    public static (double Engine, double Floor) Interleaved(int repetitions, Action engine, Action floor)
    {
        var m = Interleaved(repetitions, new[] { engine, floor });
        return (m[0], m[1]);
    }

    /// <summary>Medians of several variants run in rotating order each repetition, after one warm-up run of each.</summary>
    public static double[] Interleaved(int repetitions, Action[] variants)
    {
        var times = variants.Select(_ => new List<double>()).ToArray();
        foreach (var v in variants) v(); // warm-up: JIT, allocator, libtorch thread pool
        for (int i = 0; i < repetitions; i++)
            for (int k = 0; k < variants.Length; k++)
            {
                int j = (i + k) % variants.Length;
                times[j].Add(Time(variants[j]));
            }
        return times.Select(Median).ToArray();
    }

    public static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalSeconds;
    }

    public static double Median(List<double> xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>Peak resident memory of this process so far (VmHWM), in MB.</summary>
    public static double PeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:"))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return double.NaN;
    }

    /// <summary>Resets the peak (VmHWM) to the current resident memory, so the next peak read is the work's since.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>Current resident memory (VmRSS), in MB.</summary>
    public static double RssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:"))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return double.NaN;
    }
}
