using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NQPF.Econometrics;

/// <summary>Span kernels for the hot loops (SIMD through <see cref="Vector{T}"/>; no allocation).</summary>
internal static class VectorOps
{
    /// <summary>Σ aᵢbᵢ. Summation order is fixed for a given length, so results are reproducible.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("Lengths differ.", nameof(b));
        var i = 0;
        var acc = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
            for (var k = 0; k < va.Length; k++) acc += va[k] * vb[k];
            i = va.Length * Vector<double>.Count;
        }
        var sum = Vector.Sum(acc);
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Σ wᵢaᵢbᵢ (the inner product of weighted least squares).</summary>
    public static double WeightedDot(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> w)
    {
        if (a.Length != b.Length || a.Length != w.Length) throw new ArgumentException("Lengths differ.", nameof(w));
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += w[i] * a[i] * b[i];
        return sum;
    }

    /// <summary>y ← y − alpha·x.</summary>
    public static void SubtractScaled(Span<double> y, double alpha, ReadOnlySpan<double> x)
    {
        if (x.Length != y.Length) throw new ArgumentException("Lengths differ.", nameof(x));
        var i = 0;
        if (Vector.IsHardwareAccelerated && y.Length >= Vector<double>.Count)
        {
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var va = new Vector<double>(alpha);
            for (var k = 0; k < vy.Length; k++) vy[k] -= va * vx[k];
            i = vy.Length * Vector<double>.Count;
        }
        for (; i < y.Length; i++) y[i] -= alpha * x[i];
    }
}
