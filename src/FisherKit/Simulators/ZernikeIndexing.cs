namespace FisherKit.Simulators;

/// <summary>How a single index j numbers the Zernike polynomials Z_n^m.</summary>
public enum ZernikeIndexing
{
    /// <summary>
    /// Noll (1976): j = 1, 2, 3, ... ordered by radial order n; within an order by |m|; even j carry
    /// cos(|m|θ) (m &gt; 0), odd j carry sin(|m|θ) (m &lt; 0). j = 1 piston, 2/3 tilts, 4 defocus,
    /// 5/6 astigmatism, 7/8 coma, 11 primary spherical.
    /// </summary>
    Noll,

    /// <summary>OSA/ANSI (ANSI Z80.28): j = (n(n+2) + m)/2 starting at 0, m running from −n to n.</summary>
    Osa,
}
