#nullable enable
using System.Runtime.CompilerServices;

namespace InitCfg.Cmdlets;

/// <summary>Runs before any code of this assembly, so the engine is found in its own load context from the first use.</summary>
internal static class AssemblyInitializer
{
#pragma warning disable CA2255 // A module initializer in a library is the point here: PowerShell may touch any cmdlet type first.
    [ModuleInitializer]
    internal static void Initialize() => DependencyLoadContext.Register();
#pragma warning restore CA2255
}
