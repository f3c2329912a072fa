#nullable enable
using InitCfg.Core.Modules;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// TorchSharp's layer constructors (Conv2d's kaiming_uniform_, Linear's bias, ...) draw from the one global
/// generator, which every runspace of the process shares. A seeded build therefore takes this gate, seeds the
/// global generator, builds, and puts the generator's state back: to the build it is a generator of its own
/// (the values <c>torch.manual_seed(s)</c> then building gives in PyTorch), and builds in parallel runspaces
/// equal serial ones. Every other draw InitCfg makes from the global generator (unseeded builds and inits)
/// takes the gate too, so none of them can land inside a seeded build.
/// </summary>
public static class GlobalGenerator
{
    private static readonly object Gate = new();

    /// <summary>
    /// Runs <paramref name="build"/> drawing from a generator seeded with <paramref name="seed"/> (or from the
    /// global generator, unseeded, when null), and marks what it returns as built seeded or not.
    /// </summary>
    public static T Build<T>(long? seed, Func<T> build) where T : nn.Module
    {
        lock (Gate)
        {
            T model;
            if (seed is not long s) model = build();
            else
            {
                using var saved = get_rng_state();
                try
                {
                    random.manual_seed(s);
                    model = build();
                }
                finally { set_rng_state(saved); }
            }
            InitAttachment.SetBuildSeed(model, seed);
            return model;
        }
    }

    /// <summary>Runs <paramref name="action"/> while no seeded build can draw from the global generator.</summary>
    public static T Use<T>(Func<T> action)
    {
        lock (Gate) return action();
    }
}
