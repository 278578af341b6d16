using System.Text.Json;
using FisherKit.TorchSharpAdditions;
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
/// Scalar made explicitly and held in a <c>using</c> variable for the call; then <c>y = x.add(z)</c>, where the
/// caller passes no Scalar at all but TorchSharp makes its own (alpha = 1) the same way; then, as a control, <c>x.add(z)</c>
/// with the collections forced on the same thread between the calls and no other thread (their finalizers run during the
/// next call, but only for Scalars of calls that have returned). FisherKit's remedy runs beside them: <c>x.add(z, Hold(a))</c>
/// and <c>x.add(z, One)</c> (<see cref="HeldScalars"/>). Finally it lists, from their IL (<see cref="ScalarAudit"/>), TorchSharp
/// methods that make such a Scalar themselves (no caller can own it).
/// </summary>
internal static class ScalarRace
{
    internal const string ChildCommand = "scalar-race-child";

    internal static int Run(string[] args, string root)
    {
        long adds = args.Length > 1 && args[0] == "--adds" ? long.Parse(args[1]) : 20000;
        var env = EnvironmentRecord.Collect(get_num_threads(), root);
        Console.WriteLine($"scalar-race: {adds} calls per variant, a second thread forcing garbage collections (the last variant, a control: collections between the calls, on their own thread)");
        var outcomes = new List<Dictionary<string, object?>>();
        foreach (var (perturb, variant) in new[] { (false, Implicit), (true, Implicit), (true, Explicit), (true, TorchSharpsOwn), (true, Held), (true, HeldOne), (true, OneThread) })
        {
            var environment = new Dictionary<string, string> { ["FISHERKIT_MALLOC"] = "keep" };   // TorchSharp as a program without FisherKit runs it
            if (perturb) environment["MALLOC_PERTURB_"] = "165";
            var (code, output, _) = BenchChild.Run([ChildCommand, $"{adds}", variant], environment);
            // A child that ends normally prints its counts as its last line; an abort leaves no counts.
            var counts = code == 0 ? BenchChild.LastJsonLine(output).Deserialize<ChildCounts>() : null;
            var outcome = counts is not null
                ? System.FormattableString.Invariant($"{counts.Wrong} wrong values, {counts.Exceptions} exceptions in {counts.Calls} calls, {counts.MsPerCall:F3} ms per call")
                : $"the process ended with exit code {code} (native abort)";
            Console.WriteLine($"  {Describe(variant),-44} {(perturb ? "MALLOC_PERTURB_=165" : "glibc defaults"),-20} {outcome}");
            outcomes.Add(new Dictionary<string, object?>
            {
                ["variant"] = Describe(variant), ["malloc_perturb"] = perturb, ["exit_code"] = code, ["calls"] = adds,
                ["wrong_values"] = counts?.Wrong, ["exceptions"] = counts?.Exceptions, ["ms_per_call"] = counts?.MsPerCall,
            });
        }
        var makers = ScalarAudit.TorchSharpMethodsMakingUnheldScalars();
        var withHandlers = ScalarAudit.TorchSharpMethodsNotExamined;
        Console.WriteLine($"TorchSharp methods that make a Scalar themselves and pass it on unowned, from their IL: at least these {makers.Count}"
                          + $" (another {withHandlers} that make one have a try/finally and are not examined):");
        foreach (var group in makers.GroupBy(m => m.Split('(')[0]))
            Console.WriteLine($"  {group.Key}({string.Join(" | ", group.Select(m => m[(m.IndexOf('(') + 1)..^1]))})");
        var file = Results.Write(root, "scalar-race", new Dictionary<string, object?>
        {
            ["environment"] = env,
            ["outcomes"] = outcomes,
            ["methods_making_unowned_scalars"] = makers,
            ["methods_with_handlers_not_examined"] = withHandlers,
        });
        Console.WriteLine($"Results: {Path.GetRelativePath(root, file)}");
        return 0;
    }

    private sealed record ChildCounts(long Wrong, long Exceptions, long Calls, double MsPerCall);

    private const string Implicit = "--implicit", Explicit = "--explicit", TorchSharpsOwn = "--torchsharps-own", Held = "--held",
                         HeldOne = "--held-one", OneThread = "--one-thread";

    private static string Describe(string variant) => variant switch
    {
        Implicit => "x.add(z, a): implicit Scalar",
        Explicit => "x.add(z, alpha): Scalar in a using variable",
        TorchSharpsOwn => "x.add(z): TorchSharp's own alpha = 1",
        Held => "x.add(z, Hold(a)): FisherKit's held Scalar",
        HeldOne => "x.add(z, One): FisherKit's alpha = 1",
        _ => "x.add(z), collections on the same thread",
    };

    /// <summary>The loop itself, in its own process (it may abort).</summary>
    internal static int Child(string[] args)
    {
        long n = long.Parse(args[0]);
        var variant = args.Length > 1 ? args[1] : Implicit;
        var stop = false;
        var collector = new Thread(() => { while (!Volatile.Read(ref stop)) { GC.Collect(); GC.WaitForPendingFinalizers(); } });
        if (variant != OneThread) collector.Start();   // the other thread that allocates, here by forcing collections
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
                if (variant == Explicit)
                {
                    using var alpha = a.ToScalar();           // held by the using variable until the call has returned
                    v = x.add(z, alpha)[12345].item<float>();
                }
                else if (variant == Implicit) v = x.add(z, a)[12345].item<float>();  // the alpha Scalar: implicit, left to its finalizer
                else if (variant == Held) v = x.add(z, HeldScalars.Hold(a))[12345].item<float>();   // kept alive by the thread's ring
                else if (variant == HeldOne)
                {
                    a = 1;
                    v = x.add(z, HeldScalars.One)[12345].item<float>();
                }
                else
                {
                    a = 1;
                    if (variant == OneThread) GC.Collect();   // a collection between two calls; the finalizers run while the next call runs
                    v = x.add(z)[12345].item<float>();        // TorchSharp makes alpha = 1 itself, the same way
                }
                if (v != 1 + a) wrong++;
            }
            catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or InvalidOperationException) { errors++; }
            if ((i + 1) % 1000 == 0) Console.Out.Flush();
        }
        Volatile.Write(ref stop, true);
        if (variant != OneThread) collector.Join();
        Console.WriteLine(JsonSerializer.Serialize(new ChildCounts(wrong, errors, n, clock.Elapsed.TotalMilliseconds / n)));
        return 0;
    }
}
