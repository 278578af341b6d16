using FisherKit.ActiveLearning;
using FisherKit.ActiveLearning.Learners;
using FisherKit.Training;

namespace FisherKit.Tests.ActiveLearning;

public class NetworkModelTests
{
    [Theory]
    [InlineData(130, 128, false, new long[] { 128, 2 })]
    [InlineData(130, 128, true, new long[] { 65, 65 })]
    [InlineData(131, 128, true, new long[] { 66, 65 })]
    [InlineData(128, 128, true, new long[] { 128 })]
    [InlineData(10, 32, false, new long[] { 10 })]
    [InlineData(70, 32, true, new long[] { 24, 23, 23 })]
    [InlineData(70, 32, false, new long[] { 32, 32, 6 })]
    public void An_epoch_is_split_into_full_batches_and_a_remainder_or_into_equal_batches(long n, long batch, bool equal, long[] expected)
    {
        var sizes = BatchSource.Sizes(n, batch, equal);
        Assert.Equal(expected, sizes);
        Assert.Equal(n, sizes.Sum());
        Assert.All(sizes, s => Assert.InRange(s, 1, batch));
    }

    [Fact]
    public void Equal_batches_train_as_well_on_a_separable_problem()
    {
        // 13 points with batches of 12: 12 + 1 against 7 + 6; both runs fit a linearly separable set.
        using var g = new Generator(3);
        using var x = randn([13, 2], generator: g);
        using var y = x.select(1, 0).gt(0).to(ScalarType.Int64);
        foreach (var equal in new[] { false, true })
        {
            var options = new TrainingOptions { Epochs = 200, BatchSize = 12, LearningRate = 0.05, EqualBatches = equal };
            using var model = new NetworkModel(TaskKind.Classification, nn.Sequential(nn.Linear(2, 2)), seed: 1, options);
            model.Fit(x, y, seed: 2);
            using var p = model.Predict(x);
            using var correct = p.argmax(1).eq(y).to(ScalarType.Float64).mean();
            Assert.Equal(1.0, correct.item<double>(), 6);
        }
    }
}
