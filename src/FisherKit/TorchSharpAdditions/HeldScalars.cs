using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// Scalars that stay alive until the TorchSharp call they are passed to has returned.
/// <para>
/// TorchSharp 0.107 hands libtorch a Scalar's bare native handle and does not keep the Scalar alive for the
/// call. A Scalar made by an implicit conversion (<c>x * 2.0</c>, <c>x.clamp(0, 1)</c>) is then left to its
/// finalizer, and a garbage collection started by another thread during the call can free it while libtorch
/// reads it (README, "Implicit Scalars and other threads"). <see cref="Hold(double)"/> makes the Scalar and
/// keeps it in a ring of the calling thread's last <see cref="RingSize"/> held Scalars, where the oldest is
/// disposed when a new one takes its place. (TorchSharp's dispose scopes take only tensors.) A Scalar is used by
/// the call it is passed to, on the thread that made it, so by the time that thread has held
/// <see cref="RingSize"/> more, that call has returned, unless the operands evaluated after the Scalar hold that
/// many themselves: where an operand after it calls more than a few tensor operations, hold the Scalar last
/// (<c>F(x) * Hold(c)</c>, not <c>Hold(c) * F(x)</c>).
/// </para>
/// <para>
/// Write <c>x * Hold(2.0)</c>, <c>(p - Hold(1)).neg()</c> for <c>1 - p</c>, <c>x.clamp(Hold(lo), Hold(hi))</c>.
/// TorchSharp's additions make an unheld Scalar of their own (alpha = 1) even from tensors (<c>x + y</c>,
/// <c>x.add(y)</c>, <c>x + Hold(c)</c>): pass <see cref="One"/> as alpha, <c>x.add(y, One)</c>,
/// <c>x.add(Hold(c), One)</c>. <c>x.square()</c> makes its own exponent: write <c>x.pow(Hold(2))</c>; for
/// <c>nn.functional.softplus(x)</c> write <see cref="Softplus"/>.
/// <see cref="ScalarAudit"/> finds the calls that still make unheld Scalars in an assembly; FisherKit's tests
/// run it on FisherKit.
/// </para>
/// <para>Do not keep a held Scalar for later: after <see cref="RingSize"/> more holds on its thread it is
/// disposed, and TorchSharp then throws <see cref="InvalidOperationException"/> when it is used.</para>
/// </summary>
public static class HeldScalars
{
    /// <summary>How many held Scalars each thread keeps alive.</summary>
    public const int RingSize = 1024;

    [ThreadStatic] private static Scalar?[]? ring;
    [ThreadStatic] private static int next;

    /// <summary>1, made once and never disposed: the alpha of an addition (<c>x.add(y, One)</c>).</summary>
    public static Scalar One { get; } = 1.ToScalar();

    /// <summary>A Scalar of <paramref name="value"/> (float64) that stays alive until the call it is passed to has returned.</summary>
    public static Scalar Hold(double value) => Keep(value.ToScalar());

    /// <summary>A Scalar of <paramref name="value"/> (float32).</summary>
    public static Scalar Hold(float value) => Keep(value.ToScalar());

    /// <summary>A Scalar of <paramref name="value"/> (int64): integer tensors keep their dtype.</summary>
    public static Scalar Hold(long value) => Keep(value.ToScalar());

    /// <summary>A Scalar of <paramref name="value"/> (int32).</summary>
    public static Scalar Hold(int value) => Keep(value.ToScalar());

    /// <summary>A Scalar of <paramref name="value"/> (bool): <c>masked_fill</c> of Bool tensors.</summary>
    public static Scalar Hold(bool value) => Keep(value.ToScalar());

    /// <summary>
    /// softplus(x) = log(1 + eˣ), as <c>logaddexp(x, 0)</c> (stable for large x, gradient sigmoid(x)): TorchSharp's
    /// <c>softplus</c> makes its beta and threshold Scalars itself and leaves them to the finalizer.
    /// </summary>
    public static Tensor Softplus(Tensor x) => x.logaddexp(zeros_like(x));

    private static Scalar Keep(Scalar scalar)
    {
        var slots = ring ??= new Scalar?[RingSize];
        slots[next]?.Dispose();
        slots[next] = scalar;
        next = (next + 1) % RingSize;
        return scalar;
    }
}
