using TorchSharp.Modules;

namespace FisherKit.Tests;

/// <summary>Synthetic image classification data and tiny classifiers trained on it in about a second.</summary>
internal static class TinyModels
{
    public const int Classes = 4;
    public const int Side = 8;

    /// <summary>
    /// n images 1×8×8: a fixed random prototype per class (values in [0.2, 0.8], seed 100) plus
    /// N(0, 0.12²) noise, clamped to [0, 1]; labels cycle through the classes.
    /// </summary>
    public static (Tensor x, Tensor y) Data(int n, long seed)
    {
        using var scope = NewDisposeScope();
        using var gp = new Generator(100);
        var prototypes = rand([Classes, 1, Side, Side], generator: gp) * 0.6 + 0.2;
        var labels = tensor(Enumerable.Range(0, n).Select(i => (long)(i % Classes)).ToArray());
        using var g = new Generator((ulong)seed);
        var x = (prototypes.index_select(0, labels) + randn([n, 1, Side, Side], generator: g) * 0.12).clamp(0, 1);
        return (scope.MoveToOuter(x), scope.MoveToOuter(labels));
    }

    /// <summary>An MLP 64 → 32 → 4 with dropout, trained with Adam on 512 samples until the training loss is small.</summary>
    public static Sequential TrainedMlp(double dropout = 0.1)
    {
        manual_seed(1);
        var model = nn.Sequential(nn.Flatten(), nn.Linear(Side * Side, 32), nn.ReLU(), nn.Dropout(dropout), nn.Linear(32, Classes));
        Train(model, 150);
        return model;
    }

    /// <summary>A small CNN (conv 8 → pool → conv 16 → pool → linear) trained like <see cref="TrainedMlp"/>.</summary>
    public static Sequential TrainedCnn()
    {
        manual_seed(2);
        var model = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 2 * 2, Classes));
        Train(model, 150);
        return model;
    }

    private static void Train(Sequential model, int steps)
    {
        var (x, y) = Data(512, seed: 1);
        using (x)
        using (y)
        using (var opt = optim.Adam(model.parameters(), lr: 0.01))
        {
            model.train();
            for (int i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                opt.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(x), y);
                loss.backward();
                opt.step();
            }
            model.eval();
        }
    }

    public static double Accuracy(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return model.call(x).argmax(1).eq(y).to(ScalarType.Float64).mean().ToDouble();
    }

    public static double MeanLoss(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return nn.functional.cross_entropy(model.call(x), y).ToDouble();
    }
}
