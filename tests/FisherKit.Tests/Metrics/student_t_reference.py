"""Reference values of Student's t for DistributionTests.cs, at 50 significant digits with mpmath
(Debian's python3-mpmath), printed as float64.

Run: python3 tests/FisherKit.Tests/Metrics/student_t_reference.py
The output is pasted into DistributionTests.cs (StudentTReference).
"""
from mpmath import mp, mpf, betainc, gamma, sqrt, pi, findroot, log

mp.dps = 50
nus = ["3.5", "30", "1e3", "1e5", "1e6", "9.9e6", "1e7", "1e8", "1e10", "1e12", "1e15"]
ts = ["0.5", "1.96", "4", "8"]


def lower_tail(t, nu):
    """F(-t) for t >= 0: half the regularised incomplete beta I_{nu/(nu+t^2)}(nu/2, 1/2)."""
    return betainc(nu / 2, mpf(1) / 2, 0, nu / (nu + t * t), regularized=True) / 2


def pdf(t, nu):
    return gamma((nu + 1) / 2) / (gamma(nu / 2) * sqrt(nu * pi)) * (1 + t * t / nu) ** (-(nu + 1) / 2)


print("// nu, t, F(-t), f(t)")
for n in nus:
    nu = mpf(n)
    for s in ts:
        t = mpf(s)
        print(f"({float(nu)!r}, {float(t)!r}, {float(lower_tail(t, nu))!r}, {float(pdf(t, nu))!r}),")
print("// nu, p, quantile F^-1(p)")
for n in nus:
    nu = mpf(n)
    for p in ["0.025", "1e-8"]:
        pp = mpf(p)
        q = findroot(lambda x: lower_tail(-x, nu) - pp, -2 if p == "0.025" else -6)
        print(f"({float(nu)!r}, {float(pp)!r}, {float(q)!r}),")
