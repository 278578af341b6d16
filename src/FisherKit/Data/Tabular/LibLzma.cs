using System.Runtime.InteropServices;

namespace FisherKit.Data.Tabular;

/// <summary>
/// Raw LZMA2 decoding through the system's liblzma (xz-utils; "Priority: required" on Debian, so always
/// present there), as R's lazy-load databases with xz compression need: R writes a raw LZMA2 stream
/// (no .xz container), which .NET's own compression classes cannot read.
/// </summary>
internal static unsafe partial class LibLzma
{
    private const string Library = "liblzma.so.5";
    private const ulong FilterLzma2 = 0x21;
    private const ulong VliUnknown = ulong.MaxValue;
    private const int Ok = 0, StreamEnd = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Filter
    {
        public ulong Id;
        public void* Options;
    }

    [LibraryImport(Library, EntryPoint = "lzma_lzma_preset")]
    private static partial byte LzmaPreset(void* options, uint preset);

    [LibraryImport(Library, EntryPoint = "lzma_raw_buffer_decode")]
    private static partial int RawBufferDecode(Filter* filters, void* allocator, byte* input, nuint* inPos, nuint inSize, byte* output, nuint* outPos, nuint outSize);

    /// <summary>Decodes a raw LZMA2 stream whose decoded size is known.</summary>
    public static byte[] DecodeRawLzma2(ReadOnlySpan<byte> input, int decodedLength)
    {
        // lzma_options_lzma is about 112 bytes; a zeroed 512-byte block is safely larger. Its first
        // field is the dictionary size, which must cover the decoded data.
        var options = NativeMemory.AllocZeroed(512);
        try
        {
            if (LzmaPreset(options, 6) != 0) throw new InvalidOperationException("liblzma rejected the LZMA preset.");
            *(uint*)options = (uint)Math.Max(4096, decodedLength);
            var filters = stackalloc Filter[2];
            filters[0] = new Filter { Id = FilterLzma2, Options = options };
            filters[1] = new Filter { Id = VliUnknown, Options = null };
            var output = new byte[decodedLength];
            nuint inPos = 0, outPos = 0;
            int ret;
            fixed (byte* pin = input)
            fixed (byte* pout = output)
                ret = RawBufferDecode(filters, null, pin, &inPos, (nuint)input.Length, pout, &outPos, (nuint)output.Length);
            if (ret != Ok && ret != StreamEnd) throw new InvalidDataException($"liblzma could not decode the LZMA2 stream (lzma_ret {ret}).");
            if ((int)outPos != decodedLength) throw new InvalidDataException($"The LZMA2 stream decoded to {outPos} bytes, {decodedLength} were expected.");
            return output;
        }
        catch (DllNotFoundException e)
        {
            throw new NotSupportedException($"Reading xz-compressed R data needs the system library {Library} (Debian package liblzma5).", e);
        }
        finally
        {
            NativeMemory.Free(options);
        }
    }
}
