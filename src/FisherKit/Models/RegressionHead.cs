namespace FisherKit.Models;

/// <summary>What a regression network outputs per pixel and channel.</summary>
public enum RegressionHead
{
    /// <summary>A mean only, trained with the mean squared error.</summary>
    Mean,

    /// <summary>
    /// A heteroscedastic Gaussian: mean μ and variance σ² = softplus(raw) + minimum variance, trained
    /// with the Gaussian negative log-likelihood (Nix &amp; Weigend 1994; Lakshminarayanan et al. 2017).
    /// </summary>
    Gaussian,
}
