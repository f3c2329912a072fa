#nullable enable
using System.Reflection;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>Registers a tensor in place of another under a module's own name (an undo after user code, a lazy model's tensor given storage).</summary>
internal static class TensorSlots
{
    private static readonly MethodInfo RegisterParameter =
        typeof(nn.Module).GetMethod("ConditionallyRegisterParameter", BindingFlags.NonPublic | BindingFlags.Instance, new[] { typeof(string), typeof(TorchSharp.Modules.Parameter) })
        ?? throw new InvalidOperationException("TorchSharp changed: nn.Module.ConditionallyRegisterParameter not found.");

    private static readonly MethodInfo RegisterBuffer =
        typeof(nn.Module).GetMethod("ConditionallyRegisterBuffer", BindingFlags.NonPublic | BindingFlags.Instance, new[] { typeof(string), typeof(Tensor), typeof(bool) })
        ?? throw new InvalidOperationException("TorchSharp changed: nn.Module.ConditionallyRegisterBuffer not found.");

    /// <summary>
    /// Makes <paramref name="tensor"/> the parameter (or buffer) <paramref name="name"/> of <paramref name="owner"/>.
    /// TorchSharp layers keep a parameter in a field that forward uses (Conv2d._weight) besides the registration;
    /// their setters touch the old value, which may be freed: set the field, then register (the protected
    /// ConditionallyRegister* replace an existing registration; register_* refuse to).
    /// </summary>
    public static void Replace(nn.Module owner, string name, Tensor tensor, bool isParameter, bool persistent = true)
    {
        for (var t = owner.GetType(); t is not null && t != typeof(nn.Module); t = t.BaseType)
        {
            var field = t.GetField("_" + name, BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            if (field is not null && field.FieldType.IsInstanceOfType(tensor))
            {
                field.SetValue(owner, tensor);
                break;
            }
        }
        if (isParameter) RegisterParameter.Invoke(owner, new object[] { name, tensor });
        else RegisterBuffer.Invoke(owner, new object[] { name, tensor, persistent });
    }
}
