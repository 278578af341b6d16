namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// SafeSingleTensorFunction and SafeMultiTensorFunction: custom autograd functions whose failing
/// backward becomes an exception from SafeAutograd instead of the end of the process (a plain
/// TorchSharp function's does end it: shown in a child process).
/// </summary>
public class SafeFunctionTests
{
    /// <summary>x³ with a hand-written, differentiable backward.</summary>
    private sealed class Cube : SafeSingleTensorFunction<Cube>
    {
        public override string Name => "Cube";

        public override Tensor Forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            ctx.save_for_backward([x]);
            return x.pow(3);
        }

        public override List<Tensor?> Backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            var x = ctx.get_saved_variables()[0];
            return [3 * x.square() * grad_output];
        }
    }

    /// <summary>scale · x, with a non-tensor argument (the scale) that gets no gradient.</summary>
    private sealed class Scale : SafeSingleTensorFunction<Scale>
    {
        public override string Name => "Scale";

        public override Tensor Forward(autograd.AutogradContext ctx, params object[] vars)
        {
            ctx.save_data("scale", vars[1]);
            return (Tensor)vars[0] * (double)vars[1];
        }

        public override List<Tensor?> Backward(autograd.AutogradContext ctx, Tensor grad_output) =>
            [grad_output * (double)ctx.get_data("scale"), null];
    }

    private sealed class Throwing : SafeSingleTensorFunction<Throwing>
    {
        public override string Name => "Throwing";

        public override Tensor Forward(autograd.AutogradContext ctx, params object[] vars) => ((Tensor)vars[0]).clone();

        public override List<Tensor?> Backward(autograd.AutogradContext ctx, Tensor grad_output) =>
            throw new FormatException("the custom backward failed on purpose");
    }

    private sealed class TooManyGradients : SafeSingleTensorFunction<TooManyGradients>
    {
        public override string Name => "TooManyGradients";

        public override Tensor Forward(autograd.AutogradContext ctx, params object[] vars) => ((Tensor)vars[0]).clone();

        public override List<Tensor?> Backward(autograd.AutogradContext ctx, Tensor grad_output) => [grad_output, grad_output];
    }

    private sealed class WrongShape : SafeSingleTensorFunction<WrongShape>
    {
        public override string Name => "WrongShape";

        public override Tensor Forward(autograd.AutogradContext ctx, params object[] vars) => ((Tensor)vars[0]).clone();

        public override List<Tensor?> Backward(autograd.AutogradContext ctx, Tensor grad_output) => [ones(5, dtype: float64)];
    }

    /// <summary>Saves its input, which the test then modifies in place.</summary>
    private sealed class Exp : SafeSingleTensorFunction<Exp>
    {
        public override string Name => "Exp";

        public override Tensor Forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            ctx.save_for_backward([x]);
            return x.exp();
        }

        public override List<Tensor?> Backward(autograd.AutogradContext ctx, Tensor grad_output) =>
            [ctx.get_saved_variables()[0].exp() * grad_output];
    }

    /// <summary>(sin x, x·y) with two tensor arguments and a flag that makes backward fail.</summary>
    private sealed class SinAndProduct : SafeMultiTensorFunction<SinAndProduct>
    {
        public override string Name => "SinAndProduct";

        public override List<Tensor> Forward(autograd.AutogradContext ctx, params object[] vars)
        {
            Tensor x = (Tensor)vars[0], y = (Tensor)vars[1];
            ctx.save_for_backward([x, y]);
            ctx.save_data("fail", vars[2]);
            return [x.sin(), x * y];
        }

        public override List<Tensor?> Backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
        {
            var saved = ctx.get_saved_variables();
            Tensor x = saved[0], y = saved[1];
            if ((bool)ctx.get_data("fail")) throw new ArithmeticException("multi-output backward failed");
            return [x.cos() * grad_outputs[0] + y * grad_outputs[1], x * grad_outputs[1], null];
        }
    }

    private static Tensor X(params double[] values) => tensor(values, float64).requires_grad_();

    private static void AssertClose(double[] expected, Tensor actual)
    {
        var a = actual.ToDoubleArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(expected[i] - a[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"element {i}: {expected[i]} vs {a[i]}");
    }

    [Fact]
    public void A_plain_TorchSharp_function_whose_backward_throws_ends_the_process()
    {
        var (exitCode, output) = AbortProbes.RunInChild("an exception in a custom function's backward");
        Assert.True(exitCode != 0 && !output.Contains("survived"), $"the child survived (exit {exitCode}):\n{output}");
        Assert.Contains("backward failed on purpose", output);
    }

    [Fact]
    public void A_working_function_gives_its_gradient_through_grad_backward_and_TorchSharps_backward()
    {
        using var scope = NewDisposeScope();
        var x = X(1, -2, 0.5);
        AssertClose([3, 12, 0.75], SafeAutograd.grad(Cube.apply(x).sum(), x));
        SafeAutograd.backward(Cube.apply(x).sum());
        AssertClose([3, 12, 0.75], x.grad!);
        x.grad!.zero_();
        Cube.apply(x).sum().backward();
        AssertClose([3, 12, 0.75], x.grad!);
        AssertClose([2.5, 2.5, 2.5], SafeAutograd.grad(Scale.apply(x, 2.5).sum(), x));
    }

    [Fact]
    public void A_differentiable_backward_gives_second_derivatives()
    {
        using var scope = NewDisposeScope();
        var x = X(1, -2, 0.5);
        var g = SafeAutograd.grad(Cube.apply(x).sum(), x, create_graph: true);
        AssertClose([6, -12, 3], SafeAutograd.grad(g.sum(), x));
    }

    [Fact]
    public void An_exception_in_backward_is_thrown_by_grad_after_libtorch_returns()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var y = (Throwing.apply(x) * x).sum();        // the product's other branch still reaches x
        var e = Assert.Throws<InvalidOperationException>(() => SafeAutograd.grad(y, x));
        Assert.Contains("'Throwing'", e.Message);
        Assert.Contains("the custom backward failed on purpose", e.Message);
        Assert.IsType<FormatException>(e.InnerException);
        // nothing is left pending: the next pass through a working function succeeds
        AssertClose([3, 12, 27], SafeAutograd.grad(Cube.apply(x).sum(), x));
    }

    [Fact]
    public void An_exception_in_backward_is_thrown_by_backward_too()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var e = Assert.Throws<InvalidOperationException>(() => SafeAutograd.backward(Throwing.apply(x).sum()));
        Assert.Contains("'Throwing'", e.Message);
        Assert.IsType<FormatException>(e.InnerException);
    }

    [Fact]
    public async Task A_failure_is_reported_to_the_call_on_its_own_thread_only()
    {
        // Two threads differentiate at the same time, one through a failing function: the other never
        // sees that failure (on the CPU libtorch runs the backward on the calling thread).
        const int Rounds = 200;
        int failuresSeen = 0;
        var healthy = Task.Run(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                using var scope = NewDisposeScope();
                var x = X(1, 2, 3);
                AssertClose([3, 12, 27], SafeAutograd.grad(Cube.apply(x).sum(), x));
            }
        });
        var failing = Task.Run(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                using var scope = NewDisposeScope();
                var x = X(1, 2, 3);
                var e = Assert.Throws<InvalidOperationException>(() => SafeAutograd.grad((Throwing.apply(x) * x).sum(), x));
                Assert.Contains("'Throwing'", e.Message);
                failuresSeen++;
            }
        });
        await Task.WhenAll(healthy, failing);
        Assert.Equal(Rounds, failuresSeen);
    }

    [Fact]
    public void Gradients_of_the_wrong_count_or_shape_are_reported_not_fatal()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var count = Assert.Throws<InvalidOperationException>(() => SafeAutograd.grad(TooManyGradients.apply(x).sum(), x));
        Assert.Contains("'TooManyGradients'", count.Message);
        Assert.Contains("2 gradients", count.Message);
        Assert.Contains("1 arguments", count.Message);
        var shape = Assert.Throws<InvalidOperationException>(() => SafeAutograd.grad(WrongShape.apply(x).sum(), x));
        Assert.Contains("[5]", shape.Message);
        Assert.Contains("[3]", shape.Message);
    }

    [Fact]
    public void A_saved_tensor_modified_in_place_is_reported_not_fatal()
    {
        using var scope = NewDisposeScope();
        var x = X(0.1, 0.2);
        var h = x * 2;
        var y = Exp.apply(h).sum();
        h.add_(1);
        var e = Assert.Throws<InvalidOperationException>(() => SafeAutograd.grad(y, x));
        Assert.Contains("modified by an inplace operation", e.Message);
    }

    [Fact]
    public void A_function_with_several_outputs_gives_both_gradients_and_reports_failures()
    {
        using var scope = NewDisposeScope();
        var x = X(0.3, -1.1);
        var y = X(2.0, 0.5);
        var outs = SinAndProduct.apply(x, y, false);
        var grads = SafeAutograd.grad([outs[0].sum() + outs[1].sum()], [x, y]);
        AssertClose([Math.Cos(0.3) + 2.0, Math.Cos(-1.1) + 0.5], grads[0]!);
        AssertClose([0.3, -1.1], grads[1]!);
        var e = Assert.Throws<InvalidOperationException>(() => SafeAutograd.grad([SinAndProduct.apply(x, y, true)[1].sum()], [x, y]));
        Assert.Contains("'SinAndProduct'", e.Message);
        Assert.IsType<ArithmeticException>(e.InnerException);
    }
}
