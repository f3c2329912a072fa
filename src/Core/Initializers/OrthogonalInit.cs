#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>A (semi-)orthogonal weight as PyTorch's <c>orthogonal_</c>: QR of a normal draw, sign-corrected, times gain.</summary>
public sealed class OrthogonalInit : InitializerBase
{
    /// <summary>Builds it from validated arguments.</summary>
    public OrthogonalInit(InitArguments args) : base(args) => Gain = args.Number("gain");

    /// <summary>Scale factor.</summary>
    public double Gain { get; }

    /// <inheritdoc />
    public override string? CheckWeight(Tensor weight) =>
        weight.dim() < 2 ? $"only tensors with 2 or more dimensions are supported (shape [{string.Join(", ", weight.shape)}])." : null;

    /// <inheritdoc />
    // FillWeight draws into a new contiguous rows x cols tensor of the weight's type.
    internal override long? StreamDraws(Tensor weight)
    {
        if (weight.numel() == 0) return 0;
        return weight.dtype == ScalarType.Float32 && weight.device_type == TorchSharp.DeviceType.CPU ? ParallelDraws.NormalDraws(weight.numel()) : null;
    }

    /// <inheritdoc />
    protected override void FillWeight(Tensor weight, Generator? generator)
    {
        if (weight.numel() == 0) return;
        long rows = weight.shape[0];
        long cols = weight.numel() / rows;
        using var scope = NewDisposeScope();
        var flat = empty(new[] { rows, cols }, weight.dtype);
        ParallelDraws.Normal(flat, 0, 1, generator);
        if (rows < cols) flat = flat.t();
        var (q, r) = linalg.qr(flat);
        var ph = r.diagonal().sign();
        q = q.mul(ph);
        if (rows < cols) q = q.t();
        weight.view_as(q).copy_(q);
        weight.MulBy(Gain);
    }

    /// <inheritdoc />
    public override string Describe() => $"{InfoName}: gain={Show("gain")}, {BiasText}";
}
