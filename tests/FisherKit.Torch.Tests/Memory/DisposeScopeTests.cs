namespace FisherKit.Torch.Tests.Memory;

/// <summary>Scope semantics: what a scope disposes, nesting, moving out, detaching, misuse.</summary>
public class DisposeScopeTests
{
    [Fact]
    public void A_scope_disposes_the_tensors_made_inside_it_and_only_those()
    {
        using var outside = ones(2);
        Tensor a, b;
        using (var scope = NewDisposeScope())
        {
            a = ones(2);
            b = a * 2 + outside;
            Assert.Equal(3, scope.Count);   // a, a * 2, and the sum
        }
        Assert.True(a.IsDisposed);
        Assert.True(b.IsDisposed);
        Assert.False(outside.IsDisposed);
    }

    [Fact]
    public void Nested_scopes_dispose_inner_tensors_first_and_outer_ones_at_the_end()
    {
        Tensor o, i, moved;
        using (var outer = NewDisposeScope())
        {
            o = ones(1);
            using (var inner = NewDisposeScope())
            {
                i = ones(1);
                moved = inner.MoveToOuter(ones(1) * 3);
                Assert.Equal(2, inner.Count);   // ones(1) and i
            }
            Assert.True(i.IsDisposed);
            Assert.False(moved.IsDisposed);
            Assert.False(o.IsDisposed);
            Assert.Equal(2, outer.Count);       // o and moved
        }
        Assert.True(o.IsDisposed);
        Assert.True(moved.IsDisposed);
    }

    [Fact]
    public void MoveToOuter_from_the_outermost_scope_hands_the_tensor_to_the_caller()
    {
        Tensor t;
        using (var scope = NewDisposeScope()) t = scope.MoveToOuter(ones(2));
        Assert.False(t.IsDisposed);
        t.Dispose();
    }

    [Fact]
    public void Detach_takes_a_tensor_out_of_every_scope()
    {
        Tensor t;
        using (NewDisposeScope())
        using (var inner = NewDisposeScope())
            t = inner.Detach(ones(2));
        Assert.False(t.IsDisposed);
        t.Dispose();
    }

    [Fact]
    public void Tensor_level_helpers_move_and_detach()
    {
        Tensor moved, detached;
        using (var outer = NewDisposeScope())
        {
            using (NewDisposeScope())
            {
                moved = ones(1).MoveToOuterDisposeScope();
                detached = ones(1).DetachFromDisposeScope();
            }
            Assert.False(moved.IsDisposed);
            Assert.Equal(1, outer.Count);
        }
        Assert.True(moved.IsDisposed);
        Assert.False(detached.IsDisposed);
        detached.Dispose();
    }

    [Fact]
    public void Disposing_an_outer_scope_before_its_inner_one_throws_and_leaves_both_usable()
    {
        var outer = NewDisposeScope();
        var inner = NewDisposeScope();
        var t = ones(1);
        var e = Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        Assert.Contains("innermost first", e.Message);
        Assert.False(t.IsDisposed);
        inner.Dispose();
        Assert.True(t.IsDisposed);
        outer.Dispose();
    }

    [Fact]
    public void Moving_a_tensor_the_scope_does_not_own_throws()
    {
        using var outside = ones(1);
        using var scope = NewDisposeScope();
        Assert.Throws<InvalidOperationException>(() => scope.MoveToOuter(outside));
        Assert.Throws<InvalidOperationException>(() => scope.Detach(outside));
    }

    [Fact]
    public void Using_a_closed_scope_throws_ObjectDisposedException()
    {
        var scope = NewDisposeScope();
        var t = ones(1);
        scope.Dispose();
        scope.Dispose();   // a second dispose is harmless
        Assert.Throws<ObjectDisposedException>(() => scope.MoveToOuter(t));
    }

    [Fact]
    public void Disposing_a_tensor_early_removes_it_from_its_scope()
    {
        using var scope = NewDisposeScope();
        var t = ones(1);
        Assert.Equal(1, scope.Count);
        t.Dispose();
        Assert.Equal(0, scope.Count);
    }

    [Fact]
    public void Parameters_and_optimiser_state_made_inside_a_scope_outlive_it()
    {
        nn.Module<Tensor, Tensor> model;
        optim.Optimizer opt;
        using (NewDisposeScope())
        {
            model = nn.Linear(2, 1);
            opt = optim.Adam(model.parameters(), 0.1);
            model.forward(ones(3, 2)).sum().backward();
            opt.step();
        }
        Assert.All(model.parameters(), p => Assert.False(p.IsDisposed));
        using (NewDisposeScope())
        {
            opt.zero_grad();
            model.forward(ones(3, 2)).sum().backward();
            opt.step();   // uses the state kept from the first step
        }
        opt.Dispose();
        model.Dispose();
        Assert.All(model.parameters(), p => Assert.True(p.IsDisposed));
    }

    [Fact]
    public void A_scope_belongs_to_its_thread()
    {
        using var scope = NewDisposeScope();
        Tensor? other = null;
        var thread = new Thread(() => other = ones(1));
        thread.Start();
        thread.Join();
        Assert.NotNull(other);
        Assert.Equal(0, scope.Count);
        Assert.False(other.IsDisposed);
        other.Dispose();
    }

    [Fact]
    public void Sequential_leaves_only_its_output_in_the_scope()
    {
        using var model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 2));
        using var x = ones(3, 4);
        using var scope = NewDisposeScope();
        var y = model.forward(x);
        Assert.Equal(1, scope.Count);
        Assert.Equal(new long[] { 3, 2 }, y.shape);
    }
}
