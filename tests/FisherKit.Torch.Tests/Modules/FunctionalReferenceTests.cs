using System.Text.Json;
using FisherKit.Torch.Tests.Support;
using F = FisherKit.Torch.torch.nn.functional;

namespace FisherKit.Torch.Tests.Modules;

/// <summary>Forward values of functional ops and losses (with their gradients), against PyTorch's.</summary>
public class FunctionalReferenceTests
{
    private delegate Tensor Op(Func<string, Tensor> input);

    private static readonly Dictionary<string, Op> Ops = new()
    {
        ["interpolate nearest size"] = i => F.interpolate(i("x"), size: [7, 3]),
        ["interpolate bilinear scale"] = i => F.interpolate(i("x"), scale_factor: [1.5, 2.0], mode: InterpolationMode.Bilinear),
        ["interpolate bilinear align_corners"] = i => F.interpolate(i("x"), size: [6, 9], mode: InterpolationMode.Bilinear, align_corners: true),
        ["interpolate bicubic"] = i => F.interpolate(i("x"), size: [6, 7], mode: InterpolationMode.Bicubic),
        ["interpolate linear"] = i => F.interpolate(i("x"), size: [8], mode: InterpolationMode.Linear),
        ["affine_grid"] = i => F.affine_grid(i("theta"), [1, 2, 3, 4]),
        ["grid_sample bilinear zeros"] = i => F.grid_sample(i("x"), i("grid")),
        ["grid_sample nearest border"] = i => F.grid_sample(i("x"), i("grid"), nearest: true, border_padding: true),
        ["unfold"] = i => F.unfold(i("x"), [2, 3], padding: [1], stride: [2, 1]),
        ["pad reflect"] = i => F.pad(i("x"), [2, 1, 1, 2], PaddingModes.Reflect),
        ["pad circular"] = i => F.pad(i("x"), [1, 2, 2, 1], PaddingModes.Circular),
        ["pad replicate"] = i => F.pad(i("x"), [1, 0, 0, 2], PaddingModes.Replicate),
    };

    private delegate Tensor Loss(Tensor pred, Func<string, Tensor> input);

    private static readonly Dictionary<string, Loss> Losses = new()
    {
        ["cross_entropy"] = (p, i) => F.cross_entropy(p, i("target")),
        ["cross_entropy class weights"] = (p, i) => F.cross_entropy(p, i("target"), i("weight")),
        ["cross_entropy class weights sum"] = (p, i) => F.cross_entropy(p, i("target"), i("weight"), reduction: Reduction.Sum),
        ["cross_entropy class weights none"] = (p, i) => F.cross_entropy(p, i("target"), i("weight"), reduction: Reduction.None),
        ["cross_entropy class weights label_smoothing"] = (p, i) => F.cross_entropy(p, i("target"), i("weight"), label_smoothing: 0.1),
        ["cross_entropy ignore_index"] = (p, i) => F.cross_entropy(p, i("target"), i("weight")),
        ["cross_entropy probability targets"] = (p, i) => F.cross_entropy(p, i("target")),
        ["nll_loss class weights"] = (p, i) => F.nll_loss(F.log_softmax(p, 1), i("target"), i("weight")),
        ["mse_loss"] = (p, i) => F.mse_loss(p, i("target")),
        ["l1_loss sum"] = (p, i) => F.l1_loss(p, i("target"), Reduction.Sum),
        ["smooth_l1_loss"] = (p, i) => F.smooth_l1_loss(p, i("target"), beta: 0.5),
        ["huber_loss"] = (p, i) => F.huber_loss(p, i("target"), delta: 0.7),
        ["binary_cross_entropy_with_logits pos_weight"] = (p, i) => F.binary_cross_entropy_with_logits(p, i("target"), pos_weight: i("pos_weight")),
        ["binary_cross_entropy"] = (p, i) => F.binary_cross_entropy(p.sigmoid(), i("target")),
        ["kl_div batchmean-free sum"] = (p, i) => F.kl_div(F.log_softmax(p, 1), i("target"), Reduction.Sum),
        ["gaussian_nll_loss (two variances below eps)"] = (p, i) => F.gaussian_nll_loss(p, i("target"), i("var")),
        ["gaussian_nll_loss full sum"] = (p, i) => F.gaussian_nll_loss(p, i("target"), i("var"), full: true, reduction: Reduction.Sum),
    };

    public static TheoryData<string> Cases => Reference.Names("functional");

    [Theory, MemberData(nameof(Cases))]
    public void Functional_value_matches_PyTorch(string name)
    {
        var c = Reference.Section("functional").GetProperty(name);
        using var scope = NewDisposeScope();
        var inputs = Reference.Dict(c.GetProperty("inputs"));
        Tensor Input(string key) => inputs[key];
        if (name == "gaussian_nll_loss gradient with respect to var")
        {
            var v = inputs["var"].requires_grad_();
            var y = F.gaussian_nll_loss(inputs["pred"], inputs["target"], v);
            AssertClose.Tensors(Reference.T(c.GetProperty("output")), y, 1e-12, 1e-12, "loss");
            AssertClose.Tensors(Reference.T(c.GetProperty("grad_var")), autograd.grad([y], [v])[0]!, 1e-12, 1e-10, "d loss / d var");
            return;
        }
        if (c.TryGetProperty("pred", out var predJson))
        {
            Assert.True(Losses.ContainsKey(name), $"no C# loss for \"{name}\"");
            var pred = Reference.T(predJson).requires_grad_();
            var y = Losses[name](pred, Input);
            AssertClose.Tensors(Reference.T(c.GetProperty("output")), y, 1e-12, 1e-10, "loss");
            var g = autograd.grad([y.sum()], [pred])[0]!;
            AssertClose.Tensors(Reference.T(c.GetProperty("grad_pred")), g, 1e-12, 1e-10, "gradient");
            return;
        }
        Assert.True(Ops.ContainsKey(name), $"no C# op for \"{name}\"");
        AssertClose.Tensors(Reference.T(c.GetProperty("output")), Ops[name](Input), 1e-12, 1e-10, name);
    }

    [Fact]
    public void Linear_algebra_values_match_PyTorch()
    {
        var c = Reference.Section("linalg");
        using var scope = NewDisposeScope();
        var i = Reference.Dict(c.GetProperty("inputs"));
        var (a, spd, b, rect) = (i["a"], i["spd"], i["b"], i["rect"]);
        void Check(string key, Tensor actual) => AssertClose.Tensors(Reference.T(c.GetProperty(key)), actual, 1e-12, 1e-10, key);
        Check("eigvalsh(spd)", linalg.eigvalsh(spd));
        Check("svdvals(rect)", linalg.svdvals(rect));
        Check("solve(spd, b)", linalg.solve(spd, b));
        Check("cholesky(spd)", linalg.cholesky(spd));
        var (q, r) = linalg.qr(rect);
        Check("qr(rect).Q", q);
        Check("qr(rect).R", r);
        Check("inv(a)", linalg.inv(a));
        Check("det(a)", linalg.det(a));
        var (sign, logabsdet) = linalg.slogdet(a);
        Check("slogdet(a).sign", sign);
        Check("slogdet(a).logabsdet", logabsdet);
        Check("pinv(rect)", linalg.pinv(rect));
        Check("lstsq(rect, rect @ [1,2,3])", linalg.lstsq(rect, rect.matmul(tensor(new[] { 1.0, 2, 3 }, [3, 1]))));
        Check("matrix_norm(a, nuc)", linalg.matrix_norm(a, "nuc"));
        Check("matrix_norm(a, 2)", linalg.matrix_norm(a, "2"));
        Check("einsum(ij,jk->ik)", einsum("ij,jk->ik", a, b));
        Check("cdist(rect, rect)", cdist(rect, rect));
    }

    [Fact]
    public void Decompositions_reconstruct_their_input()
    {
        // Independent of PyTorch: Q R = A, L Lᵀ = A, V diag(λ) Vᵀ = A, U diag(S) Vh = A, A A⁻¹ = I, A X = B.
        using var scope = NewDisposeScope();
        using var d = new Data(9);
        var a = d.N(5, 3);
        var spd = d.Spd(4);
        var (q, r) = linalg.qr(a);
        AssertClose.Tensors(a, q.matmul(r), 1e-13, 1e-13, "QR");
        AssertClose.Tensors(eye(3, dtype: float64), q.t().matmul(q), 1e-13, 0, "QᵀQ");
        var l = linalg.cholesky(spd);
        AssertClose.Tensors(spd, l.matmul(l.t()), 1e-12, 1e-12, "L Lᵀ");
        AssertClose.Tensors(l, l.tril(), 0, 0, "L is lower triangular");
        var (lambda, v) = linalg.eigh(spd);
        AssertClose.Tensors(spd, (v * lambda).matmul(v.t()), 1e-12, 1e-12, "V Λ Vᵀ");
        AssertClose.Arrays([1.5, 3, 4.5, 6], lambda.ToArray<double>(), 1e-12, 1e-12, "eigenvalues of the constructed SPD matrix");
        var (u, s, vh) = linalg.svd(a, full_matrices: false);
        AssertClose.Tensors(a, (u * s).matmul(vh), 1e-13, 1e-13, "U S Vh");
        AssertClose.Tensors(eye(4, dtype: float64), spd.matmul(linalg.inv(spd)), 1e-12, 0, "A A⁻¹");
        var bm = d.N(4, 2);
        AssertClose.Tensors(bm, spd.matmul(linalg.solve(spd, bm)), 1e-12, 1e-12, "A solve(A, B)");
        AssertClose.Tensors(linalg.solve(spd, bm), cholesky_solve(bm, l), 1e-12, 1e-12, "cholesky_solve");
        Assert.Equal(3, linalg.matrix_rank(a).item<long>());
    }
}
