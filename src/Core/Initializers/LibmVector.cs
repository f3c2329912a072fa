#nullable enable
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace InitCfg.Core.Initializers;

/// <summary>
/// glibc 2.36's <c>erff</c> and <c>expf</c> on 16 floats at once, bit for bit as the scalar calls give them on
/// x86-64: erff is fdlibm's float algorithm (plain float multiplies and adds, no contraction, in the same order),
/// and expf is the variant glibc's ifunc picks on a CPU with FMA (the 32-entry 2^(i/32) table in double with
/// fused multiply-adds, as objdump shows it), which erff calls too. Lanes in the rare ranges (NaN, infinity,
/// |x| below 2^-28, exp arguments past ±88) are not computed here: <see cref="Erf"/> says so and the caller takes
/// the scalar path, so the vector code has one job and no special cases to get wrong.
/// </summary>
internal static class LibmVector
{
    /// <summary>Whether this CPU runs the vector code natively (AVX-512 F and DQ).</summary>
    public static bool IsSupported => Avx512F.IsSupported && Avx512DQ.IsSupported && Vector512.IsHardwareAccelerated;

    // expf: x*32/ln2 = k + r; 2^(k/32) from the table, 2^(r/32) from a cubic (glibc's __exp2f_data, poly_scaled).
    private static readonly Vector512<double> InvLn2N = Vector512.Create(BitConverter.Int64BitsToDouble(0x40471547652B82FE));
    private static readonly Vector512<double> Shift = Vector512.Create(BitConverter.Int64BitsToDouble(0x4338000000000000));
    private static readonly Vector512<double> C0 = Vector512.Create(BitConverter.Int64BitsToDouble(0x3EBC6AF84B912394));
    private static readonly Vector512<double> C1 = Vector512.Create(BitConverter.Int64BitsToDouble(0x3F2EBFCE50FAC4F3));
    private static readonly Vector512<double> C2 = Vector512.Create(BitConverter.Int64BitsToDouble(0x3F962E42FF0C52D6));

    // tab[i] = bits(2^(i/32)) - (i << 47), in four registers of eight for two-table permutes.
    private static readonly Vector512<ulong> T0 = Vector512.Create(
        0x3ff0000000000000UL, 0x3fefd9b0d3158574UL, 0x3fefb5586cf9890fUL, 0x3fef9301d0125b51UL,
        0x3fef72b83c7d517bUL, 0x3fef54873168b9aaUL, 0x3fef387a6e756238UL, 0x3fef1e9df51fdee1UL);
    private static readonly Vector512<ulong> T1 = Vector512.Create(
        0x3fef06fe0a31b715UL, 0x3feef1a7373aa9cbUL, 0x3feedea64c123422UL, 0x3feece086061892dUL,
        0x3feebfdad5362a27UL, 0x3feeb42b569d4f82UL, 0x3feeab07dd485429UL, 0x3feea47eb03a5585UL);
    private static readonly Vector512<ulong> T2 = Vector512.Create(
        0x3feea09e667f3bcdUL, 0x3fee9f75e8ec5f74UL, 0x3feea11473eb0187UL, 0x3feea589994cce13UL,
        0x3feeace5422aa0dbUL, 0x3feeb737b0cdc5e5UL, 0x3feec49182a3f090UL, 0x3feed503b23e255dUL);
    private static readonly Vector512<ulong> T3 = Vector512.Create(
        0x3feee89f995ad3adUL, 0x3feeff76f2fb5e47UL, 0x3fef199bdd85529cUL, 0x3fef3720dcef9069UL,
        0x3fef5818dcfba487UL, 0x3fef7c97337b9b5fUL, 0x3fefa4afa2a490daUL, 0x3fefd0765b6e4540UL);

    /// <summary>
    /// expf of every lane, or false when a lane is outside (-88, 88) (glibc's |x| &gt;= 88 path: overflow,
    /// underflow, NaN), which the caller computes with the scalar call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Exp(Vector512<float> x, out Vector512<float> result)
    {
        // glibc tests the top 12 bits of |x| against those of 88.0f.
        var abstop = Vector512.ShiftRightLogical(x.AsUInt32(), 20) & Vector512.Create(0x7ffu);
        if (Vector512.GreaterThanOrEqualAny(abstop, Vector512.Create(0x42au)))
        {
            result = default;
            return false;
        }
        var (lo, hi) = Vector512.Widen(x);
        result = Vector512.Narrow(ExpCore(lo), ExpCore(hi));
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ExpCore(Vector512<double> xd)
    {
        var shifted = Avx512F.FusedMultiplyAdd(InvLn2N, xd, Shift);
        var ki = shifted.AsUInt64();
        var kd = shifted - Shift;
        var r = Avx512F.FusedMultiplySubtract(InvLn2N, xd, kd);
        var index = ki & Vector512.Create(31UL);
        var low = Avx512F.PermuteVar8x64x2(T0, index, T1);
        var high = Avx512F.PermuteVar8x64x2(T2, index, T3);
        var t = Vector512.ConditionalSelect(Vector512.Equals(index & Vector512.Create(16UL), Vector512.Create(16UL)), high, low);
        var s = (t + Vector512.ShiftLeft(ki, 47)).AsDouble();
        var z = Avx512F.FusedMultiplyAdd(r, C0, C1);
        var r2 = r * r;
        var y = Avx512F.FusedMultiplyAdd(r, C2, Vector512<double>.One);
        y = Avx512F.FusedMultiplyAdd(z, r2, y);
        return y * s;
    }

    // erff: fdlibm's coefficients (s_erff.c; Copyright (C) 1993 by Sun Microsystems, Inc., freely granted with this notice).
    private const float Erx = 8.4506291151e-01f;
    private const float Pp0 = 1.2837916613e-01f, Pp1 = -3.2504209876e-01f, Pp2 = -2.8481749818e-02f, Pp3 = -5.7702702470e-03f, Pp4 = -2.3763017452e-05f;
    private const float Qq1 = 3.9791721106e-01f, Qq2 = 6.5022252500e-02f, Qq3 = 5.0813062117e-03f, Qq4 = 1.3249473704e-04f, Qq5 = -3.9602282413e-06f;
    private const float Pa0 = -2.3621185683e-03f, Pa1 = 4.1485610604e-01f, Pa2 = -3.7220788002e-01f, Pa3 = 3.1834661961e-01f,
        Pa4 = -1.1089469492e-01f, Pa5 = 3.5478305072e-02f, Pa6 = -2.1663755178e-03f;
    private const float Qa1 = 1.0642088205e-01f, Qa2 = 5.4039794207e-01f, Qa3 = 7.1828655899e-02f, Qa4 = 1.2617121637e-01f,
        Qa5 = 1.3637083583e-02f, Qa6 = 1.1984500103e-02f;
    private const float Ra0 = -9.8649440333e-03f, Ra1 = -6.9385856390e-01f, Ra2 = -1.0558626175e+01f, Ra3 = -6.2375331879e+01f,
        Ra4 = -1.6239666748e+02f, Ra5 = -1.8460508728e+02f, Ra6 = -8.1287437439e+01f, Ra7 = -9.8143291473e+00f;
    private const float Sa1 = 1.9651271820e+01f, Sa2 = 1.3765776062e+02f, Sa3 = 4.3456588745e+02f, Sa4 = 6.4538726807e+02f,
        Sa5 = 4.2900814819e+02f, Sa6 = 1.0863500214e+02f, Sa7 = 6.5702495575e+00f, Sa8 = -6.0424413532e-02f;
    private const float Rb0 = -9.8649431020e-03f, Rb1 = -7.9928326607e-01f, Rb2 = -1.7757955551e+01f, Rb3 = -1.6063638306e+02f,
        Rb4 = -6.3756646729e+02f, Rb5 = -1.0250950928e+03f, Rb6 = -4.8351919556e+02f;
    private const float Sb1 = 3.0338060379e+01f, Sb2 = 3.2579251099e+02f, Sb3 = 1.5367296143e+03f, Sb4 = 3.1998581543e+03f,
        Sb5 = 2.5530502930e+03f, Sb6 = 4.7452853394e+02f, Sb7 = -2.2440952301e+01f;

    /// <summary>
    /// erff of every lane, or false when a lane is NaN, infinite or below 2^-28 in magnitude (glibc's special
    /// cases), which the caller computes with the scalar call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Erf(Vector512<float> x, out Vector512<float> result)
    {
        result = default;
        var ix = x.AsInt32() & Vector512.Create(0x7fffffff);
        if (Vector512.GreaterThanOrEqualAny(ix, Vector512.Create(0x7f800000)) || Vector512.LessThanAny(ix, Vector512.Create(0x31800000)))
            return false;
        var one = Vector512<float>.One;
        var sign = x.AsInt32() & Vector512.Create(unchecked((int)0x80000000));
        var ax = (x.AsInt32() ^ sign).AsSingle();
        var inA = Vector512.LessThan(ix, Vector512.Create(0x3f580000));
        var inB = Vector512.LessThan(ix, Vector512.Create(0x3fa00000)) & ~inA;
        var inD = Vector512.GreaterThanOrEqual(ix, Vector512.Create(0x40c00000));
        var inC = ~(inA | inB | inD);

        // |x| >= 6: 1 - tiny, which rounds to 1.
        var magnitude = one;
        if (inC != Vector512<int>.Zero)
        {
            var s = one / (ax * ax);
            var nearC = Vector512.LessThan(ix, Vector512.Create(0x4036DB6E)).AsSingle();
            var ra = H(H(H(H(H(H(H(Vector512.Create(Ra7), s, Ra6), s, Ra5), s, Ra4), s, Ra3), s, Ra2), s, Ra1), s, Ra0);
            var sa = H(H(H(H(H(H(H(H(Vector512.Create(Sa8), s, Sa7), s, Sa6), s, Sa5), s, Sa4), s, Sa3), s, Sa2), s, Sa1), s, 1f);
            var rb = H(H(H(H(H(H(Vector512.Create(Rb6), s, Rb5), s, Rb4), s, Rb3), s, Rb2), s, Rb1), s, Rb0);
            var sb = H(H(H(H(H(H(H(Vector512.Create(Sb7), s, Sb6), s, Sb5), s, Sb4), s, Sb3), s, Sb2), s, Sb1), s, 1f);
            var rr = Vector512.ConditionalSelect(nearC, ra, rb);
            var ss = Vector512.ConditionalSelect(nearC, sa, sb);
            var z = (ax.AsInt32() & Vector512.Create(unchecked((int)0xfffff000))).AsSingle();
            // Lanes outside C hold other values here; they are not selected, but they must not leave exp's range.
            var e1In = Vector512.ConditionalSelect(inC.AsSingle(), -z * z - Vector512.Create(0.5625f), Vector512<float>.Zero);
            var e2In = Vector512.ConditionalSelect(inC.AsSingle(), (z - ax) * (z + ax) + rr / ss, Vector512<float>.Zero);
            if (!Exp(e1In, out var e1) || !Exp(e2In, out var e2)) return false;
            var r = e1 * e2;
            magnitude = Vector512.ConditionalSelect(inC.AsSingle(), one - r / ax, magnitude);
        }
        if (inB != Vector512<int>.Zero)
        {
            var s = ax - one;
            var p = H(H(H(H(H(H(Vector512.Create(Pa6), s, Pa5), s, Pa4), s, Pa3), s, Pa2), s, Pa1), s, Pa0);
            var q = H(H(H(H(H(H(Vector512.Create(Qa6), s, Qa5), s, Qa4), s, Qa3), s, Qa2), s, Qa1), s, 1f);
            magnitude = Vector512.ConditionalSelect(inB.AsSingle(), Vector512.Create(Erx) + p / q, magnitude);
        }
        // Branches B, C and D are odd in x (glibc writes the negative side as -erx - P/Q and r/x - 1): the sign goes on last.
        var signed = (magnitude.AsInt32() | sign).AsSingle();
        if (inA != Vector512<int>.Zero)
        {
            var z = x * x;
            var r = H(H(H(H(Vector512.Create(Pp4), z, Pp3), z, Pp2), z, Pp1), z, Pp0);
            var s = H(H(H(H(H(Vector512.Create(Qq5), z, Qq4), z, Qq3), z, Qq2), z, Qq1), z, 1f);
            var y = r / s;
            signed = Vector512.ConditionalSelect(inA.AsSingle(), x + x * y, signed);
        }
        result = signed;
        return true;
    }

    // One step of Horner's rule (c + s * acc): one rounding for the multiply and one for the add, as the C source has it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> H(Vector512<float> acc, Vector512<float> s, float c) => Vector512.Create(c) + s * acc;
}
