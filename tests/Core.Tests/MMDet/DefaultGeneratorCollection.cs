namespace InitCfg.Core.Tests.MMDet;

/// <summary>
/// Tests that seed TorchSharp's default generator and then build (layer constructors draw from it): they run alone,
/// since any test building a layer in parallel would take numbers from the same generator.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultGeneratorCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "DefaultGenerator";
}
