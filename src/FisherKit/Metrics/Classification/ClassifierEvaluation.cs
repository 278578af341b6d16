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

    /// <summary>Predicted classes (argmax of the logits); logits that are not finite are refused (argmax would call them class 0).</summary>
    public static long[] Predict(nn.Module<Tensor, Tensor> model, Tensor inputs, int batchSize = 256) => Predict(model, inputs, batchSize, 0, out _);

    // offset: the position of the first input in the caller's data, for the messages.
    private static long[] Predict(nn.Module<Tensor, Tensor> model, Tensor inputs, int batchSize, long offset, out long classes)
    {
        using var scope = NewDisposeScope();
        var z = Logits(model, inputs, batchSize);
        TensorChecks.Logits(z, "the model's output");
        classes = z.shape[1];
        if (TensorChecks.FirstNonFiniteRow(z) is var bad and >= 0)
            throw new InvalidOperationException($"The model's logits are NaN or infinite for input {offset + bad} (and perhaps others); its prediction there is undefined.");
        return z.argmax(1).ToArray<long>();
    }

    /// <summary>Fraction of inputs whose predicted class equals the label; labels must be classes of the model's output.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels, int batchSize = 256)
    {
        TensorChecks.Batch(inputs, labels);
        if (inputs.shape[0] == 0) throw new ArgumentException("Accuracy of no inputs is undefined.", nameof(inputs));
        var predicted = Predict(model, inputs, batchSize, 0, out var classes);
        var y = labels.ToArray<long>();
        CheckLabels(y, classes, 0);
        return predicted.Zip(y).Average(p => p.First == p.Second ? 1.0 : 0.0);
    }

    private static void CheckLabels(long[] labels, long classes, long offset)
    {
        if (Array.FindIndex(labels, v => v < 0 || v >= classes) is var bad and >= 0)
            throw new ArgumentException($"Label {labels[bad]} (input {offset + bad}) is not one of the model's {classes} classes.", nameof(labels));
    }

    /// <summary>Accuracy on a data set (moved batch by batch to <paramref name="device"/>).</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, ImageDataset data, int batchSize = 256, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("Accuracy of an empty data set is undefined.", nameof(data));
        long correct = 0, offset = 0;
        foreach (var batch in data.Batches(batchSize, device: device))
        {
            var predicted = Predict(model, batch.Images, batchSize, offset, out var classes);
            var y = batch.Labels.ToArray<long>();
            CheckLabels(y, classes, offset);
            for (int i = 0; i < y.Length; i++) if (predicted[i] == y[i]) correct++;
            offset += y.Length;
        }
        return correct / (double)data.Count;
    }
}
