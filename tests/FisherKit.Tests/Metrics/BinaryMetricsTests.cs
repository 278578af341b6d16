using System.Collections;
using FisherKit.Metrics.Classification;

namespace FisherKit.Tests.Metrics;

public class BinaryMetricsTests
{
    /// <summary>
    /// BestF1 as it was first defined: every distinct score tried as the threshold with a full pass, the largest F1
    /// first and, among equal F1, the largest threshold (O(n²)).
    /// </summary>
    private static BinaryMetrics BruteForceBestF1(IReadOnlyList<double> scores, IReadOnlyList<bool> positive) =>
        scores.Distinct().Select(t => BinaryMetrics.At(scores, positive, t)).OrderByDescending(m => m.F1).ThenByDescending(m => m.Threshold).First();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 40)]
    [InlineData(4, 300)]
    [InlineData(5, 1000)]
    public void Best_f1_equals_the_brute_force_definition_on_random_data_with_ties(int seed, int n)
    {
        var rng = new Random(seed);
        for (int round = 0; round < 20; round++)
        {
            // Few distinct values, so most thresholds hold several inputs of both classes; zeros of both signs and
            // infinities among them; the fraction of positives varies from none to all.
            double[] values = [double.NegativeInfinity, -1.5, -0.0, 0.0, 0.25, 0.5, 0.75, 2, double.PositiveInfinity];
            int distinct = 1 + rng.Next(values.Length);
            double fraction = rng.NextDouble();
            var scores = Enumerable.Range(0, n).Select(_ => values[rng.Next(distinct)]).ToArray();
            var labels = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < fraction).ToArray();
            var expected = BruteForceBestF1(scores, labels);
            var actual = BinaryMetrics.BestF1(scores, labels);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Threshold), BitConverter.DoubleToInt64Bits(actual.Threshold));
            Assert.Equal(expected, actual);
            Assert.Equal(expected.F1, actual.F1);
        }
    }

    [Fact]
    public void Best_f1_equals_the_brute_force_definition_on_continuous_scores()
    {
        var rng = new Random(11);
        var scores = Enumerable.Range(0, 2000).Select(_ => rng.NextDouble()).ToArray();
        var labels = scores.Select(s => rng.NextDouble() < s * s).ToArray();
        Assert.Equal(BruteForceBestF1(scores, labels), BinaryMetrics.BestF1(scores, labels));
    }

    [Fact]
    public void Best_f1_reads_each_score_a_constant_number_of_times()
    {
        // The sweep sorts once and reads every score O(1) times; trying every distinct score with a full pass
        // reads them n times each (4,000,000 reads here).
        const int n = 2000;
        var rng = new Random(12);
        var scores = new CountingList<double>(Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray());
        var labels = new CountingList<bool>(Enumerable.Range(0, n).Select(_ => rng.Next(2) == 1).ToArray());
        var best = BinaryMetrics.BestF1(scores, labels);
        Assert.True(scores.Reads <= 10 * n, $"{scores.Reads} reads of {n} scores");
        Assert.True(labels.Reads <= 10 * n, $"{labels.Reads} reads of {n} labels");
        Assert.Equal(BruteForceBestF1(scores.Items, labels.Items), best);
    }

    /// <summary>A list that counts how often its elements are read, by index or by enumeration.</summary>
    private sealed class CountingList<T>(T[] items) : IReadOnlyList<T>
    {
        public T[] Items => items;
        public long Reads { get; private set; }
        public int Count => items.Length;
        public T this[int index] { get { Reads++; return items[index]; } }
        public IEnumerator<T> GetEnumerator() { foreach (var x in items) { Reads++; yield return x; } }
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
