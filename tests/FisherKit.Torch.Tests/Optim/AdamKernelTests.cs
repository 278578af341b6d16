using FisherKit.Torch.Tests.Support;

namespace FisherKit.Torch.Tests.Optim;

/// <summary>
/// Adam runs a one-pass C# kernel for contiguous float CPU parameters and libtorch operations
/// otherwise; both must give the same update, and autograd must see the in-place change.
/// </summary>
public class AdamKernelTests
{
    private static double[] Run(Func<Tensor, optim.Optimizer> make, Func<Tensor, Tensor> layout, ScalarType dtype, int steps = 3)
    {
        using var scope = NewDisposeScope();
        using var d = new Data(77);
        var p = d.N(2, 3).to(dtype).requires_grad_();
        using var opt = make(p);
        for (int k = 0; k < steps; k++)
        {
            p.grad = layout(d.N(3, 2).to(dtype).t().contiguous());
            opt.step();
        }
        return p.detach().ToDoubleArray();
    }

    private static Tensor Contiguous(Tensor g) => g;
    private static Tensor Strided(Tensor g) => g.t().contiguous().t();   // same values, non-contiguous: the tensor path

    public static TheoryData<string> Configurations => ["Adam", "Adam L2 amsgrad", "AdamW", "AdamW amsgrad beta1 0.3"];

    private static Func<Tensor, optim.Optimizer> Make(string name) => name switch
    {
        "Adam" => p => optim.Adam([p], lr: 0.01),
        "Adam L2 amsgrad" => p => optim.Adam([p], lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weight_decay: 0.1, amsgrad: true),
        "AdamW" => p => optim.AdamW([p], lr: 0.01, weight_decay: 0.1),
        _ => p => optim.AdamW([p], lr: 0.03, beta1: 0.3, beta2: 0.95, weight_decay: 0.05, amsgrad: true),
    };

    [Theory, MemberData(nameof(Configurations))]
    public void The_kernel_and_the_tensor_path_agree_in_float64(string name)
    {
        var kernel = Run(Make(name), Contiguous, float64);
        var tensorPath = Run(Make(name), Strided, float64);
        AssertClose.Arrays(tensorPath, kernel, 1e-15, 1e-13, name);
    }

    [Theory, MemberData(nameof(Configurations))]
    public void The_kernel_and_the_tensor_path_agree_in_float32(string name)
    {
        var kernel = Run(Make(name), Contiguous, float32);
        var tensorPath = Run(Make(name), Strided, float32);
        AssertClose.Arrays(tensorPath, kernel, 1e-7, 1e-6, name);
    }

    [Fact]
    public void A_graph_that_saved_the_parameter_notices_the_update()
    {
        using var scope = NewDisposeScope();
        var p = ones([3], float64, requires_grad: true);
        var y = (p * p).sum();
        using var opt = optim.Adam([p], lr: 0.1);
        p.grad = ones([3], float64);
        opt.step();
        var e = Assert.Throws<TorchStateException>(() => y.backward());
        Assert.Contains("inplace", e.Message);
    }
}

/// <summary>The kernel splits large parameters over threads; the result must not depend on it.</summary>
[Collection(SerialCollection.Name)]
public class AdamKernelThreadingTests
{
    [Fact]
    public void A_large_parameter_gets_the_same_update_on_one_and_on_several_threads()
    {
        double[] Run(int threads)
        {
            var before = get_num_threads();
            set_num_threads(threads);
            try
            {
                using var scope = NewDisposeScope();
                using var g = new Generator(5);
                var p = randn([300_001], generator: g).requires_grad_();
                using var opt = optim.AdamW([p], lr: 0.01, amsgrad: true);
                for (int k = 0; k < 2; k++)
                {
                    p.grad = randn([300_001], generator: g);
                    opt.step();
                }
                return p.detach().ToDoubleArray();
            }
            finally { set_num_threads(before); }
        }
        Assert.Equal(Run(1), Run(3));
    }
}
