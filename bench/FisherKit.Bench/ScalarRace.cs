using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Bench;

/// <summary>
/// A hazard of TorchSharp 0.107, measured: a <c>Scalar</c> made by an implicit conversion (<c>x.add(z, 2.0)</c>,
/// <c>x * 2.0</c>) is freed by its finalizer, and its native object can be freed while the libtorch call that
/// reads it still runs, when a garbage collection from another thread happens during that call (the
/// wrapper passes the bare handle and does not keep the Scalar alive). The call then reads freed memory:
/// an exception ("Expected false to be true" from <c>c10::Scalar::toDouble</c>), an abort, or, where the
/// memory was reused in time, a wrong value. <c>scalar-race</c> runs <c>y = x.add(z, a)</c> with an implicit Scalar while a
/// second thread forces collections, in child processes (with and without glibc's <c>MALLOC_PERTURB_</c>,
/// which overwrites freed blocks), and counts wrong values, exceptions and aborts; then the same with the
/// Scalar made explicitly and held in a <c>using</c> variable for the call, the remedy bench/README.md gives.
/// </summary>
internal static class ScalarRace
{
    internal const string ChildCommand = "scalar-race-child";

    internal static int Run(string[] args)
    {
        long adds = args.Length > 1 && args[0] == "--adds" ? long.Parse(args[1]) : 20000;
        Console.WriteLine($"scalar-race: {adds} calls x.add(z, a) with an implicit Scalar, a second thread forcing garbage collections");
        foreach (var (perturb, explicitScalar) in new[] { (false, false), (true, false), (true, true) })
        {
            var environment = new Dictionary<string, string> { ["FISHERKIT_MALLOC"] = "keep" };   // TorchSharp as a program without FisherKit runs it
            if (perturb) environment["MALLOC_PERTURB_"] = "165";
            var (code, output, _) = BenchChild.Run(explicitScalar ? [ChildCommand, $"{adds}", "--explicit"] : [ChildCommand, $"{adds}"], environment);
            output = output.Trim();
            var outcome = code == 0 ? output : $"the process ended with exit code {code} (native abort) after: {output}";
            Console.WriteLine($"  {(explicitScalar ? "explicit Scalar in a using variable" : "implicit Scalar"),-36} {(perturb ? "MALLOC_PERTURB_=165" : "glibc defaults"),-20} {outcome}");
        }
        return 0;
    }

    /// <summary>The loop itself, in its own process (it may abort).</summary>
    internal static int Child(string[] args)
    {
        long n = long.Parse(args[0]);
        bool explicitScalar = args.Contains("--explicit");
        var stop = false;
        var collector = new Thread(() => { while (!Volatile.Read(ref stop)) { GC.Collect(); GC.WaitForPendingFinalizers(); } });
        collector.Start();
        long wrong = 0, errors = 0;
        using var x = ones(1 << 20);
        using var z = ones(1 << 20);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (long i = 0; i < n; i++)
        {
            using var scope = NewDisposeScope();
            double a = 1 + i % 7;
            try
            {
                float v;
                if (explicitScalar)
                {
                    using var alpha = a.ToScalar();           // held by the using variable until the call has returned
                    v = x.add(z, alpha)[12345].item<float>();
                }
                else v = x.add(z, a)[12345].item<float>();  // the alpha Scalar: implicit, left to its finalizer
                if (v != 1 + a) wrong++;
            }
            catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or InvalidOperationException) { errors++; }
            if ((i + 1) % 1000 == 0) Console.Out.Flush();
        }
        Volatile.Write(ref stop, true);
        collector.Join();
        Console.WriteLine(System.FormattableString.Invariant($"{wrong} wrong values, {errors} exceptions in {n} calls, {clock.Elapsed.TotalMilliseconds / n:F3} ms per call"));
        return 0;
    }
}
