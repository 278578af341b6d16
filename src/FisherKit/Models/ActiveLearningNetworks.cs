using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.Models;

/// <summary>The networks of the active-learning experiments (notebook 04), with <see cref="McDropoutLayer"/> layers for Monte Carlo dropout.</summary>
public static class ActiveLearningNetworks
{
    /// <summary>
    /// The CNN of Gal et al.'s code for C×H×W images (float32): two 3×3 convolutions with 32 channels,
    /// 2×2 max pooling, dropout 0.25, a dense layer with dropout 0.5, and a linear classifier.
    /// </summary>
    public static Sequential GalCnn(int channels = 1, int height = 28, int width = 28, int classes = 10, int dense = 128)
    {
        long flat = 32L * ((height - 4) / 2) * ((width - 4) / 2);
        return nn.Sequential(
            nn.Conv2d(channels, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), new McDropoutLayer(0.25),
            nn.Flatten(), nn.Linear(flat, dense), nn.ReLU(), new McDropoutLayer(0.5), nn.Linear(dense, classes));
    }

    /// <summary>The MLP of the simulated measurement: L → hidden → hidden → 1 with tanh and <see cref="McDropoutLayer"/> before the last layer.</summary>
    public static Sequential MeasurementMlp(int inputLength, int hidden = 64, double dropout = 0.1) =>
        nn.Sequential(nn.Linear(inputLength, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(), new McDropoutLayer(dropout), nn.Linear(hidden, 1));
}
