using TorchSharp.Modules;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// SafeAutograd.grad and backward: every error TorchSharp's autograd.grad ends the process on becomes a
/// .NET exception naming the problem (each hazard is shown to end a child process when called
/// directly), PyTorch's retain_graph default, null for unused inputs, exact first and second
/// derivatives, and gradients of a small CNN equal to PyTorch's.
/// </summary>
public class SafeAutogradTests
{
    private static Tensor X(params double[] values) => tensor(values, float64).requires_grad_();

    private static void AssertClose(double[] expected, Tensor actual, double tol = 1e-12)
    {
        var a = actual.ToDoubleArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tol * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {a[i]}");
    }

    // ---- the hazards: plain TorchSharp ends the process; SafeAutograd throws ----

    public static TheoryData<string, string> PlainHazards => new()
    {
        { "grad twice without retain_graph", "backward through the graph a second time" },
        { "grad of an output without grad_fn", "does not require grad" },
        { "grad with an unused input", "not have been used in the graph" },
        { "grad of a non-scalar output without grad_outputs", "only for scalar outputs" },
        { "grad with grad_outputs of the wrong shape", "invalid gradient at index 0 - got [4]" },
        { "grad through a graph another output's grad freed", "backward through the graph a second time" },
    };

    [Theory, MemberData(nameof(PlainHazards))]
    public void Plain_autograd_grad_ends_the_process_on_this_error(string probe, string libtorchSays)
    {
        var (exitCode, output) = AbortProbes.RunInChild(probe);
        Assert.True(exitCode != 0 && !output.Contains("survived"), $"'{probe}' did not end the child process (exit {exitCode}):\n{output}");
        Assert.Contains("terminate called after throwing an instance of 'c10::Error'", output);
        Assert.Contains(libtorchSays, output);
    }

    [Fact]
    public void A_second_grad_on_the_same_output_without_retain_graph_throws()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var y = (x * x).sum();
        SafeAutograd.grad(y, x);
        var e = Assert.Throws<InvalidOperationException>(() => SafeAutograd.grad(y, x));
        Assert.Contains("second time", e.Message);
        Assert.Contains("retain_graph", e.Message);
        Assert.Contains("output 0", e.Message);
    }

    [Fact]
    public void With_retain_graph_the_same_output_can_be_differentiated_again()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var y = (x * x).sum();
        AssertClose([2, 4, 6], SafeAutograd.grad(y, x, retain_graph: true));
        AssertClose([2, 4, 6], SafeAutograd.grad(y, x));
    }

    [Fact]
    public void An_output_without_grad_fn_throws()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var detached = (x.detach() * 2).sum();
        var e = Assert.Throws<InvalidOperationException>(() => SafeAutograd.grad(detached, x));
        Assert.Contains("output 0 does not require grad", e.Message);
        Tensor underNoGrad;
        using (no_grad()) underNoGrad = (x * 2).sum();
        Assert.Throws<InvalidOperationException>(() => SafeAutograd.grad(underNoGrad, x));
    }

    [Fact]
    public void An_unused_input_without_allow_unused_throws_and_names_the_input()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var unused = X(5, 6);
        var e = Assert.Throws<InvalidOperationException>(() => SafeAutograd.grad([(x * x).sum()], [x, unused]));
        Assert.Contains("Input 1", e.Message);
        Assert.Contains("allow_unused", e.Message);
    }

    [Fact]
    public void With_allow_unused_an_unused_input_gets_null_not_an_invalid_tensor()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var unused = X(5, 6);
        var grads = SafeAutograd.grad([(x * x).sum()], [unused, x], allow_unused: true);
        Assert.Null(grads[0]);
        AssertClose([2, 4, 6], grads[1]!);
    }

    [Fact]
    public void A_non_scalar_output_without_grad_outputs_throws_and_names_its_shape()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var e = Assert.Throws<ArgumentException>(() => SafeAutograd.grad([x * x], [x]));
        Assert.Contains("non-scalar output", e.Message);
        Assert.Contains("[3]", e.Message);
        Assert.Contains("grad_outputs", e.Message);
    }

    [Fact]
    public void Grad_outputs_of_the_wrong_shape_dtype_or_count_throw_and_name_both()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var y = x * x;
        var shape = Assert.Throws<ArgumentException>(() => SafeAutograd.grad([y], [x], [ones(4, dtype: float64)]));
        Assert.Contains("[4]", shape.Message);
        Assert.Contains("[3]", shape.Message);
        var dtype = Assert.Throws<ArgumentException>(() => SafeAutograd.grad([y], [x], [ones(3, dtype: float32)]));
        Assert.Contains("Float64", dtype.Message);
        Assert.Contains("Float32", dtype.Message);
        var count = Assert.Throws<ArgumentException>(() => SafeAutograd.grad([y], [x], [ones(3, dtype: float64), ones(3, dtype: float64)]));
        Assert.Contains("1 outputs but 2 grad_outputs", count.Message);
        // and the right one works: d(Σ w·x²)/dx = 2wx
        AssertClose([2, 8, 18], SafeAutograd.grad([y], [x], [X(1, 2, 3).detach()])[0]!);
    }

    [Fact]
    public void Inputs_that_do_not_require_grad_disposed_tensors_and_empty_lists_are_rejected()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var plain = ones(3, dtype: float64);
        var y = (x * plain).sum();
        Assert.Contains("input 0 does not require grad", Assert.Throws<ArgumentException>(() => SafeAutograd.grad(y, plain)).Message);
        var gone = X(1);
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => SafeAutograd.grad([y], [gone]));
        Assert.Throws<ArgumentException>(() => SafeAutograd.grad([y], []));
        Assert.Throws<ArgumentException>(() => SafeAutograd.grad([], [x]));
    }

    [Fact]
    public void Two_outputs_sharing_a_graph_can_each_be_differentiated_once()
    {
        // TorchSharp's grad frees the common graph in the first call and ends the process in the second
        // (probe "grad through a graph another output's grad freed"); SafeAutograd keeps it.
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var y = x * x;
        var a = y.sum();
        var b = (y * 2).sum();
        AssertClose([2, 4, 6], SafeAutograd.grad(a, x));
        AssertClose([4, 8, 12], SafeAutograd.grad(b, x));
        SafeAutograd.backward((y * 3).sum());
        AssertClose([6, 12, 18], x.grad!);
    }

    [Fact]
    public void Grad_returns_gradients_without_touching_the_leaves_grad()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        SafeAutograd.grad((x * x).sum(), x);
        Assert.Null(x.grad);
    }

    [Fact]
    public void Gradients_with_respect_to_intermediate_tensors_and_several_weighted_outputs()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var h = x * 2;                                  // intermediate
        var y1 = (h * h).sum();                         // ∂/∂h = 2h
        var y2 = h.pow(3);                              // ∂(w·h³)/∂h = 3h²w
        var w = tensor(new[] { 1.0, 0.5, -1.0 });
        var grads = SafeAutograd.grad([y1, y2], [h, x], [tensor(1.0), w]);
        double[] hv = [2, 4, 6];
        AssertClose(hv.Select((v, i) => 2 * v + 3 * v * v * new[] { 1.0, 0.5, -1.0 }[i]).ToArray(), grads[0]!);
        AssertClose(hv.Select((v, i) => 2 * (2 * v + 3 * v * v * new[] { 1.0, 0.5, -1.0 }[i])).ToArray(), grads[1]!);
    }

    [Fact]
    public void Double_backward_with_create_graph_gives_the_second_derivative()
    {
        // f(x) = Σ x³ sin x: f' = 3x² sin x + x³ cos x, f'' = 6x sin x + 6x² cos x − x³ sin x.
        // create_graph alone (retain_graph follows it, as in PyTorch) is enough for a second derivative.
        using var scope = NewDisposeScope();
        double[] xs = [-1.3, 0.2, 0.9, 2.5];
        var x = X(xs);
        var f = (x.pow(3) * x.sin()).sum();
        var g = SafeAutograd.grad(f, x, create_graph: true);
        Assert.True(g.requires_grad);
        AssertClose(xs.Select(v => 3 * v * v * Math.Sin(v) + v * v * v * Math.Cos(v)).ToArray(), g);
        var h = SafeAutograd.grad(g.sum(), x);
        AssertClose(xs.Select(v => 6 * v * Math.Sin(v) + 6 * v * v * Math.Cos(v) - v * v * v * Math.Sin(v)).ToArray(), h);
    }

    [Fact]
    public void A_Hessian_vector_product_with_mixed_partials_matches_the_closed_form()
    {
        // f(a, b) = a² b + b³: H = [[2b, 2a], [2a, 6b]].
        using var scope = NewDisposeScope();
        var p = X(1.5, -0.5);
        var f = p[0].square() * p[1] + p[1].pow(3);
        var g = SafeAutograd.grad(f, p, create_graph: true);
        var v = tensor(new[] { 0.3, 2.0 });
        var hv = SafeAutograd.grad((g * v).sum(), p);
        double a = 1.5, b = -0.5;
        AssertClose([2 * b * 0.3 + 2 * a * 2.0, 2 * a * 0.3 + 6 * b * 2.0], hv);
    }

    [Fact]
    public void Backward_accumulates_refuses_a_second_pass_and_follows_create_graph()
    {
        using var scope = NewDisposeScope();
        var x = X(1, 2, 3);
        var y = (x * x).sum();
        SafeAutograd.backward(y);
        AssertClose([2, 4, 6], x.grad!);
        var e = Assert.Throws<InvalidOperationException>(() => SafeAutograd.backward(y));
        Assert.Contains("second time", e.Message);
        Assert.Contains("backward", e.Message);
        Assert.Throws<InvalidOperationException>(() => SafeAutograd.backward((x.detach() * 2).sum()));
        Assert.Throws<ArgumentException>(() => SafeAutograd.backward([x * 2]));
        x.grad!.zero_();
        // d²(Σx³)/dx² = 6x through backward(create_graph) and grad
        var cube = x.pow(3).sum();
        var g = SafeAutograd.grad(cube, x, create_graph: true);
        SafeAutograd.backward(g.sum());
        AssertClose([6, 12, 18], x.grad!);
    }

    [Fact]
    public void A_full_Hessian_row_by_row_with_retain_graph_is_symmetric_and_matches_log_sum_exp()
    {
        // f(x) = log Σ exp(xᵢ): H = diag(p) − p pᵀ with p = softmax(x).
        using var scope = NewDisposeScope();
        var x = X(0.3, -1.2, 2.0, 0.7);
        var g = SafeAutograd.grad(x.logsumexp(0), x, create_graph: true);
        var h = stack(Enumerable.Range(0, 4).Select(i => SafeAutograd.grad(g[i], x, retain_graph: true)));
        var p = nn.functional.softmax(x.detach(), 0);
        AssertClose((p.diag() - p.outer(p)).ToDoubleArray(), h);
        AssertClose(h.t().ToDoubleArray(), h, 1e-15);
    }

    [Fact]
    public void A_parameter_space_Hessian_vector_product_matches_central_differences_of_gradients()
    {
        // H v ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε: an independent check of double backward through linear
        // layers, softplus, tanh and cross entropy.
        using var scope = NewDisposeScope();
        using var gen = new Generator(5);
        Tensor N(params long[] shape) => randn(shape, dtype: float64, generator: gen);
        Tensor[] theta = [(N(6, 3) * 0.7).requires_grad_(), (N(6) * 0.1).requires_grad_(), (N(4, 6) * 0.5).requires_grad_(), (N(4) * 0.1).requires_grad_()];
        var x = N(8, 3);
        var y = tensor(new long[] { 0, 1, 2, 3, 3, 2, 1, 0 });
        Tensor Loss(Tensor[] q) => nn.functional.cross_entropy(nn.functional.linear(nn.functional.softplus(nn.functional.linear(x, q[0], q[1])).tanh(), q[2], q[3]), y);
        var v = theta.Select(t => N(t.shape)).ToArray();
        var grads = SafeAutograd.grad([Loss(theta)], theta, create_graph: true);
        var hv = SafeAutograd.grad([grads.Zip(v, (g, vi) => (g! * vi).sum()).Aggregate((a, b) => a + b)], theta);
        const double eps = 1e-5;
        Tensor[] Shifted(double step) => theta.Zip(v, (t, vi) => (t.detach() + vi * step).requires_grad_()).ToArray();
        var (plus, minus) = (Shifted(eps), Shifted(-eps));
        var (gPlus, gMinus) = (SafeAutograd.grad([Loss(plus)], plus), SafeAutograd.grad([Loss(minus)], minus));
        for (int k = 0; k < theta.Length; k++)
            Assert.True(allclose((gPlus[k]! - gMinus[k]!) / (2 * eps), hv[k]!, rtol: 1e-6, atol: 1e-7), $"H·v block {k}");
    }

    private static Sequential ReferenceCnn(System.Text.Json.JsonElement r)
    {
        var model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Conv2d(4, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                  nn.Linear(128, 16), nn.Tanh(), nn.Linear(16, 10));
        model.to(float64);
        var state = Reference.Dict(r.GetProperty("state"));
        using (no_grad())
            foreach (var (name, p) in model.named_parameters()) p.copy_(state[name]);
        return model;
    }

    [Fact]
    public void Five_Adam_steps_through_SafeAutograd_backward_follow_PyTorchs_trajectory()
    {
        var r = Reference.Section("cnn");
        using var scope = NewDisposeScope();
        var model = ReferenceCnn(r);
        var x = Reference.T(r.GetProperty("input"));
        var y = Reference.T(r.GetProperty("target"));
        using var opt = optim.Adam(model.parameters(), lr: 0.01, weight_decay: 1e-3, amsgrad: true);
        var losses = new List<double>();
        for (int step = 0; step < 5; step++)
        {
            using var s = NewDisposeScope();
            opt.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            SafeAutograd.backward(loss);
            opt.step();
            losses.Add(loss.item<double>());
        }
        AssertClose(Reference.Doubles(r.GetProperty("adam_losses")), tensor(losses.ToArray()), 1e-10);
        var after = Reference.Dict(r.GetProperty("state_after_adam"));
        foreach (var (name, p) in model.named_parameters())
            AssertClose(after[name].ToDoubleArray(), p, 1e-8);
    }

    [Fact]
    public void Backward_reports_a_saved_tensor_modified_in_place_as_an_exception()
    {
        // Inside grad this libtorch error cannot be seen beforehand (see SafeAutograd's remarks); backward
        // goes through TorchSharp's catching path, so it arrives as an exception naming the problem.
        using var scope = NewDisposeScope();
        var x = X(0.1, 0.2);
        var y = x.exp();
        var z = y.sum();
        y.add_(1);
        var e = Assert.ThrowsAny<System.Runtime.InteropServices.ExternalException>(() => SafeAutograd.backward(z));
        Assert.Contains("modified by an inplace operation", e.Message);
    }

    [Fact]
    public void The_small_CNN_gradient_and_Hessian_vector_product_equal_PyTorchs()
    {
        var r = Reference.Section("cnn");
        using var scope = NewDisposeScope();
        var model = ReferenceCnn(r);
        var x = Reference.T(r.GetProperty("input"));
        var y = Reference.T(r.GetProperty("target"));
        var ps = model.parameters().Select(p => (Tensor)p).ToList();
        var names = model.named_parameters().Select(p => p.name).ToList();
        var loss = nn.functional.cross_entropy(model.call(x), y);
        Assert.Equal(r.GetProperty("loss").GetDouble(), loss.item<double>(), 1e-12);
        var grads = SafeAutograd.grad([loss], ps, create_graph: true);
        var v = Reference.Dict(r.GetProperty("v"));
        var gv = grads.Select((g, i) => (g! * v[names[i]]).sum()).Aggregate((s, t) => s + t);
        var hv = SafeAutograd.grad([gv], ps);
        var expectedGrad = Reference.Dict(r.GetProperty("grad"));
        var expectedHv = Reference.Dict(r.GetProperty("hvp"));
        for (int i = 0; i < names.Count; i++)
        {
            AssertClose(expectedGrad[names[i]].ToDoubleArray(), grads[i]!, 1e-10);
            AssertClose(expectedHv[names[i]].ToDoubleArray(), hv[i]!, 1e-9);
        }
    }
}
