namespace FisherKit.Data;

/// <summary>
/// The content of an IDX file of unsigned bytes (the format of MNIST and Fashion-MNIST): the size of
/// every dimension and the values in row-major order.
/// </summary>
/// <param name="Dimensions">Sizes, outermost first (e.g. [60000, 28, 28] for an image file).</param>
/// <param name="Data">The values, row-major; its length is the product of <paramref name="Dimensions"/>.</param>
public sealed record IdxArray(int[] Dimensions, byte[] Data);
