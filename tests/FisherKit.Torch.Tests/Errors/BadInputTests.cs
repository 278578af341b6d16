using FisherKit.Torch.Modules;
using FisherKit.Torch.Tests.Support;
using F = FisherKit.Torch.torch.nn.functional;

namespace FisherKit.Torch.Tests.Errors;

/// <summary>
/// Bad input raises a clear .NET exception that names the problem, and never aborts the process
/// (every case here runs inside the test process). libtorch's own checks arrive as typed exceptions
/// carrying its message without the C++ backtrace.
/// </summary>
public class BadInputTests
{
    private static T Throws<T>(Action action, params string[] mentions) where T : Exception
    {
        using var scope = NewDisposeScope();
        var e = Assert.ThrowsAny<T>(action);
        foreach (var m in mentions) Assert.Contains(m, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception raised from", e.Message);
        return e;
    }

    // ---- shapes and dtypes ----

    [Fact]
    public void Matmul_of_mismatched_shapes_names_both_shapes()
    {
        var e = Throws<TorchArgumentException>(() => ones(2, 3).matmul(ones(4, 5)), "2x3", "4x5");
        Assert.Equal("matmul", e.Operation);
    }

    [Fact]
    public void Broadcasting_mismatch_names_the_sizes() =>
        Throws<TorchArgumentException>(() => _ = ones(2, 3) + ones(4), "(3)", "(4)");

    [Fact]
    public void Cat_of_mismatched_shapes_names_the_sizes() =>
        Throws<TorchArgumentException>(() => cat([ones(2, 3), ones(2, 4)]), "3", "4");

    [Fact]
    public void Reshape_to_a_different_element_count_names_shape_and_size() =>
        Throws<TorchArgumentException>(() => ones(2, 3).reshape(5), "[5]", "6");

    [Fact]
    public void View_of_a_non_contiguous_tensor_is_rejected() =>
        Throws<TorchArgumentException>(() => ones(2, 3).t().view(6), "view");

    [Fact]
    public void Linear_with_the_wrong_feature_count_names_both_shapes() =>
        Throws<TorchArgumentException>(() => { using var lin = nn.Linear(4, 2); lin.forward(ones(3, 5)); }, "3x5", "4x2");

    [Fact]
    public void Conv2d_with_the_wrong_channel_count_names_the_expected_channels() =>
        Throws<TorchArgumentException>(() => { using var c = nn.Conv2d(2, 4, 3); c.forward(ones(1, 3, 5, 5)); }, "2 channels", "[1, 3, 5, 5]");

    [Fact]
    public void Mixed_dtypes_in_matmul_name_both_dtypes() =>
        Throws<TorchArgumentException>(() => ones(2, 2).matmul(ones([2, 2], float64)), "Float", "Double");

    [Fact]
    public void ToArray_of_the_wrong_element_type_names_both_dtypes() =>
        Throws<ArgumentException>(() => ones(2).ToArray<double>(), "float64", "float32");

    [Fact]
    public void Cross_entropy_with_floating_class_indices_of_the_wrong_shape_is_rejected() =>
        Throws<TorchArgumentException>(() => F.cross_entropy(ones(3, 4), ones(3)), "cross_entropy");

    [Fact]
    public void Cross_entropy_with_int32_labels_names_the_expected_dtype() =>
        Throws<TorchArgumentException>(() => F.cross_entropy(ones(3, 4), tensor(new[] { 0, 1, 2 })), "Long");

    [Fact]
    public void Index_select_with_a_floating_index_is_rejected() =>
        Throws<TorchArgumentException>(() => ones(3, 2).index_select(0, tensor(new[] { 0.0f })), "index");

    [Fact]
    public void A_data_array_that_does_not_fill_the_shape_is_rejected() =>
        Throws<ArgumentException>(() => tensor(new[] { 1f, 2f, 3f }, [2, 2]), "[2, 2]", "4", "3");

    [Fact]
    public void A_negative_size_is_rejected() =>
        Throws<ArgumentException>(() => zeros(2, -1), "negative");

    [Fact]
    public void BatchNorm1d_rejects_image_input() =>
        Throws<ArgumentException>(() => { using var bn = nn.BatchNorm1d(3); bn.forward(ones(2, 3, 4, 4)); }, "BatchNorm1d", "[2, 3, 4, 4]");

    [Fact]
    public void Loading_a_state_dict_with_a_wrong_shape_names_entry_and_shapes() =>
        Throws<ArgumentException>(() =>
        {
            using var lin = nn.Linear(3, 2);
            lin.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = ones(3, 2), ["bias"] = ones(2) });
        }, "weight", "[3, 2]", "[2, 3]");

    [Fact]
    public void Loading_a_state_dict_with_missing_names_lists_them() =>
        Throws<ArgumentException>(() => { using var lin = nn.Linear(3, 2); lin.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = ones(2, 3) }); }, "missing [bias]");

    [Fact]
    public void Substituting_an_unknown_or_misshaped_parameter_is_rejected()
    {
        Throws<ArgumentException>(() => { using var lin = nn.Linear(3, 2); lin.WithParameters(new Dictionary<string, Tensor> { ["w"] = ones(2, 3) }); }, "\"w\"", "weight");
        Throws<ArgumentException>(() => { using var lin = nn.Linear(3, 2); lin.WithParameters(new Dictionary<string, Tensor> { ["weight"] = ones(3, 3) }); }, "[2, 3]", "[3, 3]");
    }

    [Fact]
    public void Optimisers_reject_tensors_without_grad_and_negative_rates()
    {
        Throws<ArgumentException>(() => optim.SGD([ones(2)], 0.1), "require grad");
        Throws<ArgumentOutOfRangeException>(() => optim.Adam([ones([2], requires_grad: true)], lr: -1), "learning rate");
        Throws<ArgumentOutOfRangeException>(() => optim.Adam([ones([2], requires_grad: true)], beta1: 1), "betas");
        Throws<ArgumentException>(() => optim.SGD([ones([2], requires_grad: true)], 0.1, nesterov: true), "Nesterov");
    }

    [Fact]
    public void Gaussian_nll_loss_with_a_variance_of_the_wrong_shape_names_both_shapes() =>
        Throws<ArgumentException>(() => F.gaussian_nll_loss(ones(3, 4), ones(3, 4), ones(2, 4)), "[2, 4]", "[3, 4]");

    // ---- NaN and invalid values ----

    [Fact]
    public void Multinomial_with_NaN_probabilities_is_rejected() =>
        Throws<TorchArgumentException>(() => multinomial(tensor(new[] { 0.5f, float.NaN }), 1), "nan");

    [Fact]
    public void Multinomial_with_negative_probabilities_is_rejected() =>
        Throws<TorchArgumentException>(() => multinomial(tensor(new[] { 0.5f, -0.1f }), 1), "< 0");

    [Fact]
    public void Bernoulli_with_a_probability_outside_zero_one_is_rejected() =>
        Throws<TorchArgumentException>(() => bernoulli(tensor(new[] { 0.5f, 1.5f })), "p_in");

    [Fact]
    public void Cholesky_of_a_NaN_matrix_is_rejected()
    {
        var e = Throws<ArgumentException>(() => linalg.cholesky(tensor(new[] { 1.0, double.NaN, double.NaN, 1.0 }, [2, 2])), "cholesky", "NaN");
        Assert.IsNotAssignableFrom<ITorchException>(e);
    }

    [Fact]
    public void Every_decomposition_rejects_infinite_entries()
    {
        Tensor Bad() => tensor(new[] { 1.0, double.PositiveInfinity, 0.0, 1.0 }, [2, 2]);
        Throws<ArgumentException>(() => linalg.eigh(Bad()), "eigh", "infinite");
        Throws<ArgumentException>(() => linalg.svd(Bad()), "svd", "infinite");
        Throws<ArgumentException>(() => linalg.inv(Bad()), "inv", "infinite");
        Throws<ArgumentException>(() => linalg.solve(Bad(), ones([2], float64)), "solve", "infinite");
        Throws<ArgumentException>(() => linalg.qr(Bad()), "qr", "infinite");
    }

    [Fact]
    public void Cholesky_of_an_indefinite_matrix_is_a_linear_algebra_error() =>
        Throws<TorchLinAlgException>(() => linalg.cholesky(tensor(new[] { 1.0, 2.0, 2.0, 1.0 }, [2, 2])), "positive-definite");

    [Fact]
    public void Inverse_of_a_singular_matrix_is_a_linear_algebra_error() =>
        Throws<TorchLinAlgException>(() => linalg.inv(tensor(new[] { 1.0, 2.0, 2.0, 4.0 }, [2, 2])), "singular");

    [Fact]
    public void Gaussian_nll_loss_with_negative_variance_is_rejected() =>
        Throws<ArgumentException>(() => F.gaussian_nll_loss(ones(3), ones(3), tensor(new[] { 1f, -0.5f, 1f })), "negative");

    [Fact]
    public void Dropout_with_a_NaN_or_out_of_range_probability_is_rejected()
    {
        Throws<ArgumentOutOfRangeException>(() => F.dropout(ones(3), double.NaN), "[0, 1]");
        Throws<ArgumentOutOfRangeException>(() => nn.Dropout(1.5), "[0, 1]");
    }

    [Fact]
    public void Clamp_without_bounds_and_arange_with_zero_step_are_rejected()
    {
        Throws<ArgumentException>(() => ones(2).clamp(), "min and max");
        Throws<ArgumentException>(() => arange(0, 1, 0), "step");
        Throws<ArgumentException>(() => randint(5, 5, [2]), "low < high");
    }

    // ---- empty tensors ----

    [Fact]
    public void Item_of_an_empty_tensor_names_its_shape() =>
        Throws<ArgumentException>(() => zeros(0, 3).item(), "exactly one element", "[0, 3]");

    [Fact]
    public void Max_and_argmax_of_an_empty_tensor_are_rejected()
    {
        Throws<TorchArgumentException>(() => zeros(0).max(), "numel() == 0");
        Throws<TorchArgumentException>(() => zeros(0).argmax(), "numel() == 0");
    }

    [Fact]
    public void Joining_no_tensors_is_rejected()
    {
        Throws<ArgumentException>(() => cat([]), "at least one");
        Throws<ArgumentException>(() => stack([]), "at least one");
    }

    [Fact]
    public void An_empty_batch_in_a_convolution_is_rejected_with_libtorchs_message() =>
        Throws<TorchArgumentException>(() => F.conv2d(zeros(1, 1, 0, 0), ones(1, 1, 3, 3)), "kernel size");

    [Fact]
    public void Multinomial_from_an_empty_distribution_is_rejected() =>
        Throws<TorchArgumentException>(() => multinomial(zeros(0), 1), "multinomial");

    // ---- disposed tensors, modules and generators ----

    [Fact]
    public void A_disposed_tensor_throws_ObjectDisposedException_on_any_use()
    {
        var x = ones(2, 2);
        x.Dispose();
        x.Dispose();   // a second dispose is harmless
        Assert.True(x.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => x + 1);
        Assert.Throws<ObjectDisposedException>(() => x.shape);
        Assert.Throws<ObjectDisposedException>(() => x.ToArray<float>());
        Assert.Throws<ObjectDisposedException>(() => x.item());
        Assert.Throws<ObjectDisposedException>(() => x.requires_grad = true);
        Assert.Throws<ObjectDisposedException>(() => cat([ones(2, 2), x]));
        Assert.Throws<ObjectDisposedException>(() => x.backward());
        Assert.Equal("tensor(<disposed>)", x.ToString());
        var e = Assert.Throws<ObjectDisposedException>(() => x.exp());
        Assert.Contains("disposed", e.Message);
    }

    [Fact]
    public void A_tensor_disposed_by_its_scope_throws_ObjectDisposedException()
    {
        Tensor kept;
        using (NewDisposeScope()) kept = ones(3);
        Assert.Throws<ObjectDisposedException>(() => kept.sum());
    }

    [Fact]
    public void A_disposed_module_and_generator_throw_ObjectDisposedException()
    {
        var lin = nn.Linear(2, 2);
        lin.Dispose();
        Assert.Throws<ObjectDisposedException>(() => lin.forward(ones(1, 2)));
        var g = new Generator(1);
        g.Dispose();
        Assert.Throws<ObjectDisposedException>(() => randn([2], generator: g));
    }

    // ---- CUDA on a CPU build ----

    [Fact]
    public void Asking_for_CUDA_on_a_CPU_build_raises_NotSupportedException_naming_CUDA()
    {
        if (cuda.is_available()) return;   // only meaningful on a CPU-only libtorch (this project's default)
        void Cuda(Action a) => Throws<NotSupportedException>(a, "CUDA", "cpu");
        Cuda(() => zeros([2], device: CUDA));
        Cuda(() => ones(2).cuda());
        Cuda(() => ones(2).to(device("cuda:0")));
        Cuda(() => randn([2], device: CUDA));
        Cuda(() => tensor(new[] { 1f }, device: CUDA));
        Cuda(() => nn.Linear(2, 2, device: CUDA));
        Cuda(() => { using var lin = nn.Linear(2, 2); lin.to(CUDA); });
        Cuda(() => new Generator(1, CUDA));
        Cuda(() => cuda.synchronize());
        Assert.Equal(0, cuda.device_count());
    }

    [Fact]
    public void An_unknown_device_string_is_rejected() =>
        Throws<ArgumentException>(() => device("tpu"), "tpu", "cuda");

    // ---- indices out of range ----

    [Fact]
    public void Indexing_past_the_end_names_index_dimension_and_size()
    {
        Throws<IndexOutOfRangeException>(() => _ = ones(3, 2)[5], "5", "dimension 0", "size 3");
        Throws<IndexOutOfRangeException>(() => _ = ones(3, 2)[.., -3], "-3", "size 2");
        Throws<ArgumentOutOfRangeException>(() => _ = ones(3)[^0], "^0");
        Throws<ArgumentException>(() => _ = ones(3)[0, 0], "Too many indices");
    }

    [Fact]
    public void Index_select_gather_scatter_and_select_out_of_range_are_rejected()
    {
        Throws<TorchArgumentException>(() => ones(3, 2).index_select(0, tensor(new long[] { 7 })), "out of range");
        Throws<TorchArgumentException>(() => ones(3, 2).gather(1, tensor(new long[] { 5, 0, 0 }, [3, 1])), "out of bounds");
        Throws<TorchArgumentException>(() => ones(3, 2).scatter(1, tensor(new long[] { 9, 0, 0 }, [3, 1]), 1.0), "out of bounds");
        Throws<TorchArgumentException>(() => ones(3, 2).select(0, 3), "out of range");
        Throws<TorchArgumentException>(() => ones(3, 2).narrow(0, 2, 4), "exceeds");
        Throws<TorchArgumentException>(() => ones(3, 2).sum(4), "Dimension out of range");
        Throws<ArgumentOutOfRangeException>(() => ones(3, 2).size(2), "[3, 2]");
    }

    [Fact]
    public void Class_labels_out_of_range_are_rejected()
    {
        Throws<TorchArgumentException>(() => F.cross_entropy(ones(2, 4), tensor(new long[] { 1, 7 })), "out of bounds");
        Throws<TorchArgumentException>(() => F.nll_loss(ones(2, 4), tensor(new long[] { -3, 0 })), "out of bounds");
        Throws<TorchArgumentException>(() => F.one_hot(tensor(new long[] { 0, 5 }), 3), "one_hot");
    }

    // ---- autograd misuse ----

    [Fact]
    public void Backward_twice_without_retain_graph_is_a_state_error()
    {
        var e = Throws<TorchStateException>(() =>
        {
            var x = ones([2], float64, requires_grad: true);
            var y = x.exp().sum();
            y.backward();
            y.backward();
        }, "second time", "retain_graph");
        Assert.IsAssignableFrom<InvalidOperationException>(e);
    }

    [Fact]
    public void Grad_twice_without_retain_graph_is_a_state_error() =>
        Throws<TorchStateException>(() =>
        {
            var x = ones([2], float64, requires_grad: true);
            var y = (x * x).sum();
            autograd.grad([y], [x]);
            autograd.grad([y], [x]);
        }, "second time");

    [Fact]
    public void Modifying_a_saved_tensor_in_place_is_a_state_error() =>
        Throws<TorchStateException>(() =>
        {
            var x = ones([2], float64, requires_grad: true);
            var y = x.exp();
            y.add_(1);
            y.sum().backward();
        }, "inplace");

    [Fact]
    public void Backward_of_a_tensor_without_grad_explains_why() =>
        Throws<InvalidOperationException>(() => ones(2).sum().backward(), "does not require grad", "no_grad");

    [Fact]
    public void Backward_of_a_non_scalar_without_gradient_names_its_shape() =>
        Throws<ArgumentException>(() => ones([2, 3], requires_grad: true).exp().backward(), "[2, 3]", "gradient");

    [Fact]
    public void Grad_with_respect_to_a_tensor_without_grad_is_rejected() =>
        Throws<ArgumentException>(() =>
        {
            var x = ones([2], requires_grad: true);
            autograd.grad([x.sum()], [ones(2)]);
        }, "require grad");

    [Fact]
    public void Grad_of_an_unused_input_without_allow_unused_is_rejected() =>
        Throws<TorchArgumentException>(() =>
        {
            var x = ones([2], requires_grad: true);
            var z = ones([2], requires_grad: true);
            autograd.grad([x.sum()], [z]);
        }, "allow_unused");

    [Fact]
    public void In_place_change_of_a_leaf_that_requires_grad_is_rejected() =>
        Throws<TorchArgumentException>(() => ones([2], requires_grad: true).add_(1), "leaf Variable");

    // ---- resources ----

    [Fact]
    public void An_impossible_allocation_is_an_out_of_memory_exception()
    {
        var e = Throws<TorchOutOfMemoryException>(() => zeros(1L << 50), "allocate");
        Assert.IsAssignableFrom<OutOfMemoryException>(e);
    }
}
