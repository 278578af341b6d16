namespace FisherKit.Models;

/// <summary>Which tensor of a layer an <see cref="ActivationRecorder"/> keeps.</summary>
public enum ActivationPoint
{
    /// <summary>The tensor the layer receives (for the last layer of a classifier: the penultimate features).</summary>
    Input,

    /// <summary>The tensor the layer returns (e.g. the feature maps of a convolution).</summary>
    Output,
}
