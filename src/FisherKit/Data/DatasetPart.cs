namespace FisherKit.Data;

/// <summary>Which part of a published data set to load.</summary>
public enum DatasetPart
{
    /// <summary>The training part (Fashion-MNIST/MNIST: 60,000 images; CIFAR-10: 50,000).</summary>
    Train,

    /// <summary>The test part (10,000 images for MNIST, Fashion-MNIST and CIFAR-10).</summary>
    Test,
}
