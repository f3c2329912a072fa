using InitCfg.Core.Modules;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Walk;

/// <summary>
/// Everything a call may change in a model, as one text: the SHA-256 of every parameter's and buffer's bytes, the
/// identity of each tensor object, each record, each module's init_cfg (by identity) and mark, and the model's
/// load reports and warnings. Two equal fingerprints mean "byte-identical" for the all-or-nothing tests.
/// </summary>
internal static class ModelFingerprint
{
    public static string Take(nn.Module model, bool identity = true)
    {
        var sb = new StringBuilder();
        foreach (var (name, m) in model.named_modules())
            sb.Append("module ").Append(name).Append(" init=").Append(InitAttachment.IsInitialized(m))
              .Append(" cfg=").Append(InitAttachment.GetConfig(m) is { } c ? RuntimeHelpers.GetHashCode(c) : 0).AppendLine();
        foreach (var (name, p) in model.named_parameters())
            sb.Append("param ").Append(name).Append(' ').Append(Sha256(p, identity)).Append(" record=").Append(ParameterWrites.Get(p)).AppendLine();
        foreach (var (name, b) in model.named_buffers())
            sb.Append("buffer ").Append(name).Append(' ').Append(Sha256(b, identity)).AppendLine();
        foreach (var l in ParameterWrites.GetLoads(model)) sb.Append("load ").Append(l).AppendLine();
        foreach (var w in ParameterWrites.GetWarnings(model)) sb.Append("warning ").Append(w).AppendLine();
        return sb.ToString();
    }

    public static string Sha256(Tensor t, bool identity = true)
    {
        using var c = Fixtures.Contiguous(t);
        var hash = Convert.ToHexString(SHA256.HashData(c.bytes));
        GC.KeepAlive(c);
        return $"{t.dtype}[{string.Join(",", t.shape)}]#{(identity ? RuntimeHelpers.GetHashCode(t) : 0)}:{hash}";
    }
}
