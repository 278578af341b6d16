using FisherKit.Data;

namespace FisherKit.Tests.Data;

[Collection(LeakChecks.Name)]
public class ImageDatasetTests
{
    /// <summary>n images 1×2×2 whose pixels all equal i/n (so an image identifies its sample), labels i mod classes.</summary>
    internal static ImageDataset Numbered(int n, int classes = 3)
    {
        using var scope = NewDisposeScope();
        var x = arange(0, n, dtype: ScalarType.Float32).div(n).view(n, 1, 1, 1).expand(n, 1, 2, 2).contiguous();
        var y = tensor(Enumerable.Range(0, n).Select(i => (long)(i % classes)).ToArray());
        return new ImageDataset(x, y, Enumerable.Range(0, classes).Select(c => $"c{c}").ToArray(), "numbered");
    }

    /// <summary>The sample numbers of a data set derived from <see cref="Numbered"/>(n).</summary>
    private static long[] Ids(ImageDataset ds, int n)
    {
        using var first = ds.Images[.., 0, 0, 0];
        return first.ToArray<float>().Select(v => (long)Math.Round(v * n)).ToArray();
    }

    [Fact]
    public void Shuffling_is_a_permutation_fixed_by_the_seed()
    {
        using var ds = Numbered(1000);
        using var a = ds.Shuffle(7);
        using var b = ds.Shuffle(7);
        using var c = ds.Shuffle(8);
        Assert.Equal(Ids(a, 1000), Ids(b, 1000));
        Assert.NotEqual(Ids(a, 1000), Ids(c, 1000));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), Ids(a, 1000).Order());
        // Labels travel with their images.
        var ids = Ids(a, 1000);
        var labels = a.LabelArray();
        for (int i = 0; i < ids.Length; i++) Assert.Equal(ids[i] % 3, labels[i]);
    }

    [Fact]
    public void A_stratified_split_keeps_class_proportions_and_loses_nothing()
    {
        using var ds = Numbered(300);
        var (train, validation) = ds.Split(0.2, seed: 3);
        using (train)
        using (validation)
        {
            Assert.Equal([20L, 20, 20], validation.ClassCounts());
            Assert.Equal([80L, 80, 80], train.ClassCounts());
            var all = Ids(train, 300).Concat(Ids(validation, 300)).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), all);
        }
    }

    [Fact]
    public void Batches_visit_every_sample_once_and_are_disposed_after_use()
    {
        using var ds = Numbered(103);
        long before = LeakChecks.SettledCount();
        var seen = new List<long>();
        var sizes = new List<int>();
        Batch? last = null;
        foreach (var batch in ds.Batches(25, shuffle: true, seed: 1))
        {
            sizes.Add(batch.Count);
            using var first = batch.Images[.., 0, 0, 0];
            var ids = first.ToArray<float>().Select(v => (long)Math.Round(v * 103)).ToArray();
            Assert.Equal(ids, batch.Indices);
            Assert.Equal(ids.Select(i => i % 3), batch.Labels.ToArray<long>());
            seen.AddRange(ids);
            last = batch;
        }
        Assert.Equal([25, 25, 25, 25, 3], sizes);
        Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), seen.Order());
        Assert.True(last!.Images.IsInvalid);
        Assert.Equal(before, Tensor.TotalCount);
        Assert.Equal(4, ds.Batches(25, dropLast: true).Count());
    }

    [Fact]
    public void Holding_out_a_class_removes_exactly_that_class()
    {
        using var ds = Numbered(30);
        using var without = ds.WithoutClasses(1);
        using var only = ds.OnlyClasses(1);
        Assert.Equal([10L, 0, 10], without.ClassCounts());
        Assert.Equal(3, without.ClassCount);
        Assert.Equal(10, only.Count);
        Assert.All(only.LabelArray(), y => Assert.Equal(1, y));
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.WithoutClasses(3));
    }

    [Fact]
    public void Images_outside_the_unit_range_are_rejected()
    {
        using var scope = NewDisposeScope();
        var x = full([2, 1, 2, 2], 1.5, ScalarType.Float32);
        var y = zeros([2], ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => new ImageDataset(x, y));
        Assert.Contains("[0, 1]", e.Message);
        var nan = full([2, 1, 2, 2], double.NaN, ScalarType.Float32);
        Assert.Throws<ArgumentException>(() => new ImageDataset(nan, y));
        Assert.Throws<ArgumentException>(() => new ImageDataset(zeros([2, 1, 2, 2]), zeros([3], ScalarType.Int64)));
        Assert.Throws<ArgumentException>(() => new ImageDataset(zeros([2, 4]), y));
        Assert.Throws<ArgumentException>(() => new ImageDataset(zeros([2, 1, 2, 2]), full([2], 5, ScalarType.Int64), ["a", "b"]));
    }

    [Fact]
    public void Subsets_slices_and_concatenation_keep_images_and_labels_together()
    {
        using var ds = Numbered(10);
        using var sub = ds.Subset([9, 0, 9]);
        Assert.Equal([9L, 0, 9], Ids(sub, 10));
        Assert.Equal([0L, 0, 0], sub.LabelArray());
        using var slice = ds.Slice(2, 3);
        Assert.Equal([2L, 0, 1], slice.LabelArray());
        using var both = ImageDataset.Concat([slice, sub]);
        Assert.Equal(6, both.Count);
        Assert.Equal([2L, 0, 1, 0, 0, 0], both.LabelArray());
    }

    [Fact]
    public void A_disposed_dataset_refuses_use()
    {
        var ds = Numbered(4);
        ds.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ds.Count);
        Assert.Throws<ObjectDisposedException>(() => ds.Batches(2));
    }
}
