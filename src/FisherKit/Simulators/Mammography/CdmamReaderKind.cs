namespace FisherKit.Simulators.Mammography;

/// <summary>How <see cref="CdmamReader"/> decides which corner holds a cell's second disc.</summary>
public enum CdmamReaderKind
{
    /// <summary>
    /// The ideal observer's reader: the non-prewhitening matched filter at the known corner positions (template =
    /// the expected blurred disc at its sub-pixel position); its proportion correct is <see cref="FourAfc.ProportionCorrect"/>
    /// of <see cref="IdealObserver.DPrime"/>.
    /// </summary>
    MatchedFilter,

    /// <summary>
    /// A CDCOM-like automatic reader: smooth with a Gaussian of σ = max(1.5 px, disc radius/2), take the minimum within
    /// a small search radius around each expected corner centre, and pick the darkest corner (gold darkens the image).
    /// </summary>
    Search,
}
