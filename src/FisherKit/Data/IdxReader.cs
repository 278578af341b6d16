using System.Buffers.Binary;

namespace FisherKit.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST (LeCun et al.), gzipped or not (detected
/// from the content, not the name). Layout: two zero bytes, a type byte (0x08 = unsigned byte, the
/// only type these data sets use), the number of dimensions d, then d big-endian int32 sizes, then
/// the values row-major. Image files have magic 0x00000803 (count, rows, columns), label files
/// 0x00000801 (count). Every inconsistency (wrong magic, zero or negative sizes, fewer or more
/// bytes than the header promises, a damaged gzip stream) is an <see cref="InvalidDataException"/>
/// that names the file and the problem.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of an unsigned-byte IDX file with three dimensions (images).</summary>
    public const int ImageMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte IDX file with one dimension (labels).</summary>
    public const int LabelMagic = 0x00000801;

    /// <summary>Reads any unsigned-byte IDX file.</summary>
    public static IdxArray Read(string path) => Parse(DataFile.ReadAllBytes(path), path);

    /// <summary>Reads an image file (magic 0x00000803): dimensions (count, rows, columns).</summary>
    public static IdxArray ReadImages(string path) => Expect(Read(path), 3, ImageMagic, "image", path);

    /// <summary>Reads a label file (magic 0x00000801): dimensions (count).</summary>
    public static IdxArray ReadLabels(string path) => Expect(Read(path), 1, LabelMagic, "label", path);

    private static IdxArray Expect(IdxArray a, int dims, int magic, string what, string path)
    {
        if (a.Dimensions.Length != dims)
            throw new InvalidDataException($"{path}: expected an IDX {what} file (magic 0x{magic:X8}, {dims} dimension{(dims == 1 ? "" : "s")}), but the header declares {a.Dimensions.Length} dimension(s).");
        return a;
    }

    /// <summary>Parses the bytes of an (already decompressed) IDX file; <paramref name="source"/> names it in errors.</summary>
    public static IdxArray Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 4)
            throw new InvalidDataException($"{source}: only {bytes.Length} bytes; an IDX file starts with a 4-byte magic number.");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{source}: wrong magic number 0x{magic:X8}; an IDX file starts with two zero bytes (MNIST images: 0x{ImageMagic:X8}, labels: 0x{LabelMagic:X8}).");
        if (bytes[2] != 0x08)
            throw new InvalidDataException($"{source}: magic number 0x{magic:X8} declares element type 0x{bytes[2]:X2}; only unsigned bytes (0x08) are supported, as used by MNIST and Fashion-MNIST.");
        int ndim = bytes[3];
        if (ndim == 0)
            throw new InvalidDataException($"{source}: magic number 0x{magic:X8} declares zero dimensions.");
        int headerLength = 4 + 4 * ndim;
        if (bytes.Length < headerLength)
            throw new InvalidDataException($"{source}: truncated header; {ndim} dimensions need {headerLength} header bytes but the file has {bytes.Length}.");
        var dims = new int[ndim];
        long count = 1;
        for (int d = 0; d < ndim; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + 4 * d)..]);
            if (dims[d] <= 0)
                throw new InvalidDataException($"{source}: dimension {d} has size {dims[d]}; sizes must be positive.");
            count *= dims[d];
            if (count > Array.MaxLength)
                throw new InvalidDataException($"{source}: the header declares sizes [{string.Join(", ", dims[..(d + 1)])}...], more values than one array can hold.");
        }
        long available = bytes.Length - headerLength;
        if (available < count)
            throw new InvalidDataException($"{source}: truncated; the header declares sizes [{string.Join(", ", dims)}] = {count} values, but only {available} bytes follow the header.");
        if (available > count)
            throw new InvalidDataException($"{source}: the header declares sizes [{string.Join(", ", dims)}] = {count} values, but {available} bytes follow the header ({available - count} too many); the header does not describe the file.");
        return new IdxArray(dims, bytes.Slice(headerLength, (int)count).ToArray());
    }
}
