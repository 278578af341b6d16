namespace FisherKit.Simulators;

/// <summary>
/// One Zernike polynomial Z_n^m: radial order <see cref="N"/> ≥ 0 and azimuthal frequency
/// <see cref="M"/> with |m| ≤ n and n − |m| even; m &gt; 0 is the cos(mθ) member, m &lt; 0 the sin(|m|θ) one.
/// </summary>
public readonly record struct ZernikeMode
{
    /// <summary>Creates the mode, checking that (n, m) is valid.</summary>
    public ZernikeMode(int n, int m)
    {
        if (n < 0 || Math.Abs(m) > n || (n - Math.Abs(m)) % 2 != 0)
            throw new ArgumentException($"(n, m) = ({n}, {m}) is not a Zernike mode: it needs n >= 0, |m| <= n and n - |m| even.");
        N = n;
        M = m;
    }

    /// <summary>Radial order n.</summary>
    public int N { get; }

    /// <summary>Signed azimuthal frequency m.</summary>
    public int M { get; }

    /// <summary>The Noll index j ≥ 1 of this mode.</summary>
    public int Noll
    {
        get
        {
            // Order n holds the n+1 indices n(n+1)/2 + 1 ... (n+1)(n+2)/2. Inverting FromNoll: |m| = n mod 2 + 2k comes at
            // the offsets 2k − p and 2k + 1 − p (p = (n + 1) mod 2) within the order; m > 0 takes the even index, m < 0 the odd.
            long first = (long)N * (N + 1) / 2 + 1;   // long: order 65535 already passes int.MaxValue / 2
            int p = (N + 1) % 2, k = (Math.Abs(M) - N % 2) / 2;
            foreach (var offset in new[] { 2 * k - p, 2 * k + 1 - p })
            {
                long j = first + offset;
                if (offset >= 0 && offset <= N && (M == 0 || (M > 0) == (j % 2 == 0))) return checked((int)j);
            }
            throw new InvalidOperationException($"No Noll index found for {this}.");
        }
    }

    /// <summary>The OSA/ANSI index j ≥ 0 of this mode.</summary>
    public int Osa => checked((int)(((long)N * (N + 2) + M) / 2));

    /// <summary>The mode with Noll index <paramref name="j"/> ≥ 1.</summary>
    public static ZernikeMode FromNoll(int j)
    {
        if (j < 1) throw new ArgumentOutOfRangeException(nameof(j), j, "Noll indices start at 1.");
        int n = 0, j1 = j - 1;
        while (j1 > n) { n++; j1 -= n; }
        int am = (n % 2) + 2 * ((j1 + ((n + 1) % 2)) / 2);
        int m = j % 2 == 0 ? am : -am;
        return new ZernikeMode(n, m);
    }

    /// <summary>The mode with OSA/ANSI index <paramref name="j"/> ≥ 0.</summary>
    public static ZernikeMode FromOsa(int j)
    {
        if (j < 0) throw new ArgumentOutOfRangeException(nameof(j), j, "OSA/ANSI indices start at 0.");
        // j = (n(n+2) + m)/2 with −n ≤ m ≤ n  ⇔  n is the smallest order with n(n+3)/2 ≥ j.
        // In long: n(n + 3) passes int.MaxValue near n = 46340, and for j above 2^30 the int loop never ended.
        int n = 0;
        while ((long)n * (n + 3) / 2 < j) n++;
        int m = (int)(2L * j - (long)n * (n + 2));
        return new ZernikeMode(n, m);
    }

    /// <summary>The mode with index <paramref name="j"/> in the given convention.</summary>
    public static ZernikeMode FromIndex(int j, ZernikeIndexing indexing) => indexing == ZernikeIndexing.Noll ? FromNoll(j) : FromOsa(j);

    /// <summary>The index of this mode in the given convention.</summary>
    public int Index(ZernikeIndexing indexing) => indexing == ZernikeIndexing.Noll ? Noll : Osa;

    /// <summary>A common name for low orders ("defocus", "coma (x)"), otherwise "Z(n,m)".</summary>
    public string Name => (N, M) switch
    {
        (0, 0) => "piston",
        (1, 1) => "tilt (x)",
        (1, -1) => "tilt (y)",
        (2, 0) => "defocus",
        (2, -2) => "astigmatism (oblique)",
        (2, 2) => "astigmatism (vertical)",
        (3, -1) => "coma (y)",
        (3, 1) => "coma (x)",
        (3, -3) => "trefoil (y)",
        (3, 3) => "trefoil (x)",
        (4, 0) => "primary spherical",
        _ => $"Z({N},{M})",
    };

    /// <summary>"Z(n,m)".</summary>
    public override string ToString() => $"Z({N},{M})";
}
