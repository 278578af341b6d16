using FisherKit.Attacks;
using FisherKit.Data;
using static TorchSharp.torch;

namespace FisherKit.Metrics.Classification;

/// <summary>Batched predictions and accuracy of a classifier (evaluation mode, no gradients; modes restored after).</summary>
public static class ClassifierEvaluation
{
    /// <summary>Logits (N, C) of all inputs, computed in batches (smaller ones where <see cref="ConvolutionWorkspace"/> says so), in the caller's scope.</summary>
    public static Tensor Logits(nn.Module<Tensor, Tensor> model, Tensor inputs, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        using var grad = no_grad();
        using var modes = ModuleMode.Eval(model);
        return ConvolutionWorkspace.Call(model, inputs, batchSize);
    }

    /// <summary>Predicted classes (argmax of the logits).</summary>
    public static long[] Predict(nn.Module<Tensor, Tensor> model, Tensor inputs, int batchSize = 256)
    {
        using var scope = NewDisposeScope();
        return Logits(model, inputs, batchSize).argmax(1).ToArray<long>();
    }

    /// <summary>Fraction of inputs whose predicted class equals the label.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels, int batchSize = 256)
    {
        TensorChecks.Batch(inputs, labels);
        var predicted = Predict(model, inputs, batchSize);
        var y = labels.ToArray<long>();
        return predicted.Zip(y).Average(p => p.First == p.Second ? 1.0 : 0.0);
    }

    /// <summary>Accuracy on a data set (moved batch by batch to <paramref name="device"/>).</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, ImageDataset data, int batchSize = 256, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        long correct = 0;
        foreach (var batch in data.Batches(batchSize, device: device))
        {
            var predicted = Predict(model, batch.Images, batchSize);
            var y = batch.Labels.ToArray<long>();
            for (int i = 0; i < y.Length; i++) if (predicted[i] == y[i]) correct++;
        }
        return correct / (double)data.Count;
    }
}
