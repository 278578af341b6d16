using FisherKit.Torch.Tests.Support;

namespace FisherKit.Torch.Tests.Autograd;

/// <summary>requires_grad, accumulation, retain_graph, grad_outputs, no_grad/enable_grad, detach.</summary>
public class AutogradSemanticsTests
{
    [Fact]
    public void Grad_with_grad_outputs_is_the_vector_Jacobian_product()
    {
        using var scope = NewDisposeScope();
        using var d = new Data(7);
        var a = d.N(3, 4);
        var x = d.N(4).requires_grad_();
        var u = d.N(3);
        var y = a.matmul(x);
        var vjp = autograd.grad([y], [x], [u])[0]!;
        AssertClose.Tensors(a.t().matmul(u), vjp, 1e-12, 1e-12);
    }

    [Fact]
    public void Backward_accumulates_into_grad_until_it_is_cleared()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var y = (x * x).sum();
        y.backward(retain_graph: true);
        y.backward();
        AssertClose.Arrays([4.0, 8.0], x.grad!.ToArray<double>(), 0, 0);
        x.grad = null;
        Assert.Null(x.grad);
        (x * 3).sum().backward();
        AssertClose.Arrays([3.0, 3.0], x.grad!.ToArray<double>(), 0, 0);
    }

    [Fact]
    public void Grad_with_retain_graph_can_be_taken_twice()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var y = x.exp().sum();
        var g1 = autograd.grad([y], [x], retain_graph: true)[0]!;
        var g2 = autograd.grad([y], [x])[0]!;
        AssertClose.Tensors(g1, g2, 0, 0);
        AssertClose.Arrays([Math.Exp(1), Math.Exp(2)], g1.ToArray<double>(), 1e-15, 1e-15);
    }

    [Fact]
    public void Backward_with_explicit_gradient_weights_a_non_scalar_output()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0, 3.0 }, requires_grad: true);
        (x * x).backward(tensor(new[] { 1.0, 0.5, -1.0 }));
        AssertClose.Arrays([2.0, 2.0, -6.0], x.grad!.ToArray<double>(), 0, 0);
    }

    [Fact]
    public void Multiple_outputs_backward_sums_their_gradients()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        autograd.backward([x.sum(), (x * x).sum()]);
        AssertClose.Arrays([3.0, 5.0], x.grad!.ToArray<double>(), 0, 0);
    }

    [Fact]
    public void Unused_inputs_give_null_gradients_when_allowed()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0 }, requires_grad: true);
        var z = tensor(new[] { 1.0 }, requires_grad: true);
        var g = autograd.grad([x.sum() * 2], [x, z], allow_unused: true);
        Assert.NotNull(g[0]);
        Assert.Null(g[1]);
    }

    [Fact]
    public void No_grad_stops_recording_and_restores_the_previous_mode()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0 }, requires_grad: true);
        Assert.True(is_grad_enabled());
        using (no_grad())
        {
            Assert.False(is_grad_enabled());
            Assert.False((x * 2).requires_grad);
            using (enable_grad())
            {
                Assert.True(is_grad_enabled());
                Assert.True((x * 2).requires_grad);
            }
            Assert.False(is_grad_enabled());
        }
        Assert.True(is_grad_enabled());
        Assert.True((x * 2).requires_grad);
    }

    [Fact]
    public void Detach_cuts_the_graph_but_shares_storage()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var y = x * 3;
        var dy = y.detach();
        Assert.False(dy.requires_grad);
        Assert.True(y.has_grad_fn);
        Assert.False(dy.has_grad_fn);
        Assert.True(dy.is_alias_of(y));
        Assert.True(x.is_leaf);
        Assert.False(y.is_leaf);
    }

    [Fact]
    public void Retain_grad_keeps_the_gradient_of_an_intermediate()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var y = x * 3;
        y.retain_grad();
        (y * y).sum().backward();
        AssertClose.Arrays([6.0, 12.0], y.grad!.ToArray<double>(), 0, 0);
        AssertClose.Arrays([18.0, 36.0], x.grad!.ToArray<double>(), 0, 0);
    }

    [Fact]
    public void Single_output_grad_overload_returns_the_gradient()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 2.0 }, requires_grad: true);
        var g = autograd.grad(x.pow(3).sum(), x);
        Assert.Equal(12.0, g.item(), 12);
    }
}
