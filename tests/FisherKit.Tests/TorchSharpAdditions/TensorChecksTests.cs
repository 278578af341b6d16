namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// TensorChecks: MatMul refuses exactly the shapes TorchSharp's matmul would end the process on (and
/// lets every valid combination through to a working matmul); the other checks name the problem.
/// </summary>
public class TensorChecksTests
{
    [Theory]
    [InlineData("matmul of mismatched shapes", "cannot be multiplied")]
    [InlineData("matmul of Bool tensors", "not implemented for 'Bool'")]
    public void Plain_matmul_ends_the_process_on_this_error(string probe, string libtorchSays)
    {
        var (exitCode, output) = AbortProbes.RunInChild(probe);
        Assert.True(exitCode != 0 && !output.Contains("survived"), $"the child survived (exit {exitCode}):\n{output}");
        Assert.Contains("terminate called after throwing an instance of 'c10::", output);
        Assert.Contains(libtorchSays, output);
    }

    public static TheoryData<long[], long[], string[]> Mismatched => new()
    {
        { [2, 3], [4, 5], ["[2, 3]", "[4, 5]", "3 ≠ 4"] },
        { [3], [4], ["[3]", "[4]"] },
        { [2, 3], [2], ["[2, 3]", "[2]"] },
        { [5], [4, 2], ["[5]", "[4, 2]"] },
        { [7, 2, 3], [7, 4, 2], ["[7, 2, 3]", "[7, 4, 2]"] },
        { [3, 2, 3], [4, 3, 2], ["batch dimensions", "[3, 2, 3]", "[4, 3, 2]"] },
        { [2, 5, 2, 3], [3, 3, 4], ["batch dimensions"] },
        { [], [3], ["rank ≥ 1"] },
    };

    [Theory, MemberData(nameof(Mismatched))]
    public void MatMul_refuses_shapes_that_do_not_multiply_and_names_them(long[] a, long[] b, string[] mentions)
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => TensorChecks.MatMul(ones(a), ones(b)));
        foreach (var m in mentions) Assert.Contains(m, e.Message);
    }

    public static TheoryData<long[], long[], long[]> Multipliable => new()
    {
        { [2, 3], [3, 5], [2, 5] },
        { [3], [3], [] },
        { [2, 3], [3], [2] },
        { [3], [3, 4], [4] },
        { [6, 2, 3], [3, 4], [6, 2, 4] },
        { [3], [6, 3, 4], [6, 4] },
        { [6, 2, 3], [3], [6, 2] },
        { [2, 1, 2, 3], [5, 3, 4], [2, 5, 2, 4] },
        { [1, 2, 3], [7, 3, 1], [7, 2, 1] },
        { [0, 3], [3, 0], [0, 0] },
    };

    [Theory, MemberData(nameof(Multipliable))]
    public void MatMul_accepts_every_valid_combination_and_matmul_then_works(long[] a, long[] b, long[] result)
    {
        using var scope = NewDisposeScope();
        var (ta, tb) = (ones(a), ones(b));
        TensorChecks.MatMul(ta, tb);
        Assert.Equal(result, ta.matmul(tb).shape);
    }

    [Fact]
    public void MatMul_refuses_mixed_dtypes_and_disposed_or_null_tensors()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => TensorChecks.MatMul(ones(2, 2), ones([2, 2], float64), "weights", "inputs"));
        Assert.Contains("weights is Float32", e.Message);
        Assert.Contains("inputs is Float64", e.Message);
        var gone = ones(2, 2);
        gone.Dispose();
        Assert.Contains("'b'", Assert.Throws<ObjectDisposedException>(() => TensorChecks.MatMul(ones(2, 2), gone)).Message);
        Assert.Throws<ArgumentNullException>(() => TensorChecks.MatMul(null!, ones(2, 2)));
        Assert.Contains("Bool", Assert.Throws<ArgumentException>(() => TensorChecks.MatMul(ones([2, 2], @bool), ones([2, 2], @bool))).Message);
        TensorChecks.MatMul(ones([2, 2], int64), ones([2, 2], int64));
        Assert.Equal(2L, ones([2, 2], int64).matmul(ones([2, 2], int64))[0, 0].item<long>());
    }

    [Fact]
    public void Shape_formats_like_PyTorch_lists()
    {
        using var scope = NewDisposeScope();
        Assert.Equal("[2, 3, 28, 28]", TensorChecks.Shape(zeros(2, 3, 28, 28)));
        Assert.Equal("[]", TensorChecks.Shape(tensor(1.0)));
    }

    [Fact]
    public void FloatingPoint_and_Finite_name_the_tensor_and_the_problem()
    {
        using var scope = NewDisposeScope();
        TensorChecks.FloatingPoint(ones(2), "x");
        Assert.Contains("Int64", Assert.Throws<ArgumentException>(() => TensorChecks.FloatingPoint(ones([2], int64), "x")).Message);
        TensorChecks.Finite(ones(2), "x");
        TensorChecks.Finite(ones([2], int64), "labels");
        var e = Assert.Throws<ArgumentException>(() => TensorChecks.Finite(tensor(new[] { 1.0, double.NaN }), "scores"));
        Assert.Contains("scores contains NaN or infinite values", e.Message);
        Assert.Throws<ArgumentException>(() => TensorChecks.Finite(tensor(new[] { float.PositiveInfinity }), "scores"));
    }

    [Fact]
    public void Logits_and_Batch_name_the_expected_and_actual_form()
    {
        using var scope = NewDisposeScope();
        TensorChecks.Logits(zeros(4, 3), "logits");
        Assert.Contains("(N, C)", Assert.Throws<ArgumentException>(() => TensorChecks.Logits(zeros(4), "logits")).Message);
        Assert.Contains("C >= 2", Assert.Throws<ArgumentException>(() => TensorChecks.Logits(zeros(4, 1), "logits")).Message);
        Assert.Contains("floating-point", Assert.Throws<ArgumentException>(() => TensorChecks.Logits(zeros([4, 3], int64), "logits")).Message);
        TensorChecks.Batch(zeros(4, 1, 2, 2), zeros([4], int64));
        Assert.Contains("batch dimension", Assert.Throws<ArgumentException>(() => TensorChecks.Batch(zeros(4), zeros([4], int64))).Message);
        Assert.Contains("1-D int64", Assert.Throws<ArgumentException>(() => TensorChecks.Batch(zeros(4, 2), zeros([4], int32))).Message);
        Assert.Contains("4 inputs but 3 labels", Assert.Throws<ArgumentException>(() => TensorChecks.Batch(zeros(4, 2), zeros([3], int64))).Message);
        Assert.Contains("floating point", Assert.Throws<ArgumentException>(() => TensorChecks.Batch(zeros([4, 2], int64), zeros([4], int64))).Message);
    }

    [Fact]
    public void First_non_finite_row_names_the_first_row_with_NaN_or_infinity()
    {
        using var x = zeros(5, 2, 3);
        Assert.Equal(-1, TensorChecks.FirstNonFiniteRow(x));
        x[3, 1, 2] = tensor(float.NegativeInfinity);
        x[4, 0, 0] = tensor(float.NaN);
        Assert.Equal(3, TensorChecks.FirstNonFiniteRow(x));
        using var empty = zeros(0, 4);
        Assert.Equal(-1, TensorChecks.FirstNonFiniteRow(empty));   // reshape(0, -1) would fail
        using var ints = zeros(new long[] { 3 }, ScalarType.Int64);
        Assert.Equal(-1, TensorChecks.FirstNonFiniteRow(ints));
    }
}
