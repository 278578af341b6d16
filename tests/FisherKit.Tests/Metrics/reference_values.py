"""Reference values for DistributionTests.cs from Python's standard library (math, statistics).

Run: python3 tests/FisherKit.Tests/Metrics/reference_values.py
The output is pasted into DistributionTests.cs (ReferenceValues region).
"""
import math
from statistics import NormalDist

xs = [-6.0, -3.2, -1.0, -0.3, 0.0, 0.05, 0.7, 1.5, 2.4, 2.6, 4.0, 5.5, 8.0]
print("// x, erf(x), erfc(x)")
for x in xs:
    print(f"({x!r}, {math.erf(x)!r}, {math.erfc(x)!r}),")
print("// p, Phi^-1(p)")
for p in [1e-10, 1e-4, 0.01, 0.025, 0.1, 0.3, 0.5, 0.6827, 0.9, 0.975, 0.999, 1 - 1e-9]:
    print(f"({p!r}, {NormalDist().inv_cdf(p)!r}),")
print("// x, lgamma(x)")
for x in [0.1, 0.5, 1.0, 1.5, 2.0, 3.7, 10.0, 55.5, 170.2]:
    print(f"({x!r}, {math.lgamma(x)!r}),")
