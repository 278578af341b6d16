using System.Reflection;
using FisherKit.TorchSharpAdditions;
using static FisherKit.TorchSharpAdditions.HeldScalars;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// Held Scalars (README, "Implicit Scalars and other threads"): a held Scalar outlives garbage collections until its
/// thread has held <see cref="HeldScalars.RingSize"/> more, and FisherKit hands libtorch no Scalar that nobody holds.
/// The race itself is measured by the benchmark's <c>scalar-race</c> (bench/README.md), in child processes.
/// </summary>
public sealed class HeldScalarsTests
{
    [Fact]
    public void A_held_Scalar_survives_collections_until_its_thread_has_held_RingSize_more()
    {
        var first = HoldUnreferenced(2.5);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.True(first.IsAlive, "the held Scalar was collected");
        Assert.Equal(2.5, ((Scalar)first.Target!).ToDouble());

        for (int i = 0; i < RingSize - 1; i++) _ = Hold(i);
        Assert.Equal(2.5, ((Scalar)first.Target!).ToDouble());   // still one of the last RingSize
        _ = Hold(-1.0);                                           // takes its slot: disposed
        var e = Assert.Throws<InvalidOperationException>(() => ((Scalar)first.Target!).ToDouble());
        Assert.Contains("Scalar", e.Message);
    }

    [Fact]
    public void Held_Scalars_give_the_values_of_the_implicit_ones()
    {
        using var x = tensor(new float[] { 1, 2, 3 });
        using var z = tensor(new long[] { 1, 2, 3 });
        Assert.Equal(new float[] { 2, 4, 6 }, (x * Hold(2.0)).ToArray<float>());
        Assert.Equal(new float[] { 0, -1, -2 }, (Hold(1) - x).ToArray<float>());
        Assert.Equal(new float[] { 1.5f, 2.5f, 3.5f }, x.add(Hold(0.5), One).ToArray<float>());
        Assert.Equal(new float[] { 2, 4, 6 }, x.add(x, One).ToArray<float>());
        Assert.Equal(new float[] { 1, 4, 9 }, x.pow(Hold(2)).ToArray<float>());
        Assert.Equal(new long[] { 2, 4, 6 }, (z * Hold(2L)).ToArray<long>());   // integer tensors stay integer
        Assert.Equal(ScalarType.Int64, (z * Hold(2L)).dtype);
        Assert.Equal(new float[] { 1.5f, 2, 2.5f }, x.clamp(Hold(1.5f), Hold(2.5f)).ToArray<float>());
    }

    [Fact]
    public void Softplus_is_log_of_one_plus_exp_and_TorchSharps_softplus()
    {
        double[] xs = [-40, -3, -0.5, 0, 0.5, 3, 19, 21, 40];
        using var x = tensor(xs, dtype: float64);
        var closedForm = xs.Select(v => v > 30 ? v + Math.Exp(-v) : Math.Log(1 + Math.Exp(v))).ToArray();   // above 30, v + log1p(e^-v) = v + e^-v in double
        var held = Softplus(x).ToArray<double>();
        var torchSharps = nn.functional.softplus(x).ToArray<double>();   // threshold 20: returns x above it
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(closedForm[i], held[i], Math.Max(1e-15, 1e-15 * Math.Abs(closedForm[i])));
            Assert.Equal(torchSharps[i], held[i], Math.Max(1e-15, 3e-9 * Math.Abs(xs[i])));   // above the threshold: log1p(e^-x) < 2.1e-9 left out
        }
    }

    [Fact]
    public void The_audit_finds_the_unheld_Scalars_of_plain_TorchSharp_code()
    {
        var found = ScalarAudit.Audit(typeof(Samples).Assembly).Where(f => f.Method.StartsWith("Samples.", StringComparison.Ordinal))
                                                                .Select(f => f.ToString()).ToList();
        Assert.Contains("Samples.Implicit(Tensor): Scalar.op_Implicit(Double)", found);
        Assert.Contains("Samples.TimesTwo(Tensor): Tensor.op_Multiply(Tensor,Double)", found);
        Assert.Contains("Samples.Sum(Tensor,Tensor): Tensor.op_Addition(Tensor,Tensor)", found);   // through add(Tensor): alpha = 1
        Assert.Contains("Samples.Square(Tensor): Tensor.square()", found);
        Assert.Contains("Samples.Unused(): ScalarExtensionMethods.ToScalar(Double)", found);        // made, never disposed
        Assert.Contains(found, f => f.StartsWith("Samples.Norm(): nn.BatchNorm2d(", StringComparison.Ordinal));
        Assert.DoesNotContain(found, f => f.StartsWith("Samples.Held", StringComparison.Ordinal));
        Assert.DoesNotContain(found, f => f.StartsWith("Samples.Using", StringComparison.Ordinal));
        Assert.Contains("Tensor.add(Tensor)", ScalarAudit.TorchSharpMethodsMakingUnheldScalars());
    }

    [Fact]
    public void FisherKit_hands_libtorch_no_Scalar_that_nobody_holds()
    {
        var findings = ScalarAudit.Audit(typeof(HeldScalars).Assembly);
        Assert.True(findings.Count == 0,
            $"{findings.Count} calls in FisherKit make a Scalar nobody holds (write Hold(v), pass One as alpha, pow(Hold(2)); HeldScalars):\n"
            + string.Join("\n", findings));
    }

    // A separate method, so that the test's own frame holds no reference to the Scalar.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference HoldUnreferenced(double value) => new(Hold(value));

    /// <summary>Code the audit must flag, and code it must not.</summary>
    private static class Samples
    {
        public static Tensor Implicit(Tensor x) => x.clamp_min(0.5);
        public static Tensor TimesTwo(Tensor x) => x * 2.0;
        public static Tensor Sum(Tensor x, Tensor y) => x + y;
        public static Tensor Square(Tensor x) => x.square();
        public static Scalar Unused() => 3.0.ToScalar();
        public static nn.Module<Tensor, Tensor> Norm() => nn.BatchNorm2d(3);          // its training forward makes one
        public static nn.Module<Tensor, Tensor> HeldNorm() => HeldBatchNorm.BatchNorm2d(3);
        public static Tensor Held(Tensor x, Tensor y) => (x * Hold(2.0)).add(y, One).clamp_min(Hold(0.5)).pow(Hold(2));

        public static Tensor Using(Tensor x)
        {
            using var two = 2.0.ToScalar();
            return x.mul(two);
        }
    }
}
