namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>Where distances are measured for diversity-based selection.</summary>
public enum FeatureSpace
{
    /// <summary>The flattened inputs.</summary>
    Inputs,
    /// <summary>The inputs of the network's last layer (penultimate activations; needs an <see cref="Learners.IFisherModel"/>), as in Sener &amp; Savarese (2018).</summary>
    Penultimate,
}
