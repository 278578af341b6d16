using System.Text.Json;
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
/// next call, but only for Scalars of calls that have returned). Finally it lists, from their IL, TorchSharp methods that
/// make such a Scalar themselves (no caller can own it).
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
        foreach (var (perturb, variant) in new[] { (false, Implicit), (true, Implicit), (true, Explicit), (true, TorchSharpsOwn), (true, OneThread) })
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
        var (makers, withHandlers) = MethodsMakingTheirOwnScalars();
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

    private const string Implicit = "--implicit", Explicit = "--explicit", TorchSharpsOwn = "--torchsharps-own", OneThread = "--one-thread";

    private static string Describe(string variant) => variant switch
    {
        Implicit => "x.add(z, a): implicit Scalar",
        Explicit => "x.add(z, alpha): Scalar in a using variable",
        TorchSharpsOwn => "x.add(z): TorchSharp's own alpha = 1",
        _ => "x.add(z), collections on the same thread",
    };

    /// <summary>
    /// Methods of TorchSharp whose IL makes a Scalar (an implicit conversion or <c>ToScalar</c>) and has no exception
    /// handler, so no <c>using</c> can hold that Scalar: it is handed to the next call and left to its finalizer there.
    /// Lambdas are reported under the type that declares them; constructors as ".ctor". A lower bound: methods with
    /// a try/finally (a dispose scope, a foreach, or a <c>using</c> on the Scalar) are counted apart, not examined.
    /// </summary>
    private static (List<string> Unowned, int WithHandlers) MethodsMakingTheirOwnScalars()
    {
        var assembly = typeof(Tensor).Assembly;
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (System.Reflection.ReflectionTypeLoadException e) { types = e.Types.OfType<Type>().ToArray(); }   // types of optional dependencies
        const System.Reflection.BindingFlags declared = System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic
                                                      | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Instance
                                                      | System.Reflection.BindingFlags.DeclaredOnly;
        var found = new SortedSet<string>(StringComparer.Ordinal);
        int withHandlers = 0;
        // Scalar's own conversions and ToScalar return the Scalar they make: their caller owns it.
        foreach (var type in types.Where(t => t != typeof(Scalar) && t.Name != "ScalarExtensionMethods"))
            foreach (var method in type.GetMethods(declared).Cast<System.Reflection.MethodBase>().Concat(type.GetConstructors(declared)))
            {
                System.Reflection.MethodBody? body;
                try { body = method.GetMethodBody(); }
                catch (Exception e) when (e is FileNotFoundException or TypeLoadException) { continue; }
                if (body?.GetILAsByteArray() is not { } il || !CalledMethods(method, il).Any(MakesScalar)) continue;
                if (body.ExceptionHandlingClauses.Count > 0) { withHandlers++; continue; }
                found.Add(MethodName(type, method));
            }
        return (found.ToList(), withHandlers);
    }

    /// <summary>"Type.Method(parameter types)"; a lambda or other compiler-made method under the type that declares it.</summary>
    private static string MethodName(Type type, System.Reflection.MethodBase method)
    {
        var outer = type;
        while (outer.IsNested && outer.Name.Contains('<')) outer = outer.DeclaringType!;   // closure classes: <>c, <>c__DisplayClass
        var name = method.Name.Contains('<') || type != outer ? $"lambda {method.Name}" : method.Name;
        return $"{outer.Name}.{name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType.Name))})";
    }

    private static bool MakesScalar(System.Reflection.MethodBase called) =>
        called.DeclaringType == typeof(Scalar) && called.Name == "op_Implicit"
        || called.DeclaringType?.Name == "ScalarExtensionMethods" && called.Name.StartsWith("To", StringComparison.Ordinal) && called.Name.EndsWith("Scalar", StringComparison.Ordinal);

    /// <summary>The methods a method body names (call, callvirt, newobj, ldftn: every method operand), decoded instruction by instruction.</summary>
    private static IEnumerable<System.Reflection.MethodBase> CalledMethods(System.Reflection.MethodBase method, byte[] il)
    {
        var generic = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodGeneric = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? TwoByteOpCodes[il[i + 1]] : OneByteOpCodes[il[i]];
            int operand = i + code.Size;
            i = operand + OperandSize(code, il, operand);
            if (code.OperandType != System.Reflection.Emit.OperandType.InlineMethod) continue;
            System.Reflection.MethodBase? called = null;
            try { called = method.Module.ResolveMethod(BitConverter.ToInt32(il, operand), generic, methodGeneric); }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or FileNotFoundException or TypeLoadException) { }
            if (called is not null) yield return called;
        }
    }

    private static readonly System.Reflection.Emit.OpCode[] OneByteOpCodes = new System.Reflection.Emit.OpCode[256];
    private static readonly System.Reflection.Emit.OpCode[] TwoByteOpCodes = new System.Reflection.Emit.OpCode[256];

    static ScalarRace()
    {
        foreach (var field in typeof(System.Reflection.Emit.OpCodes).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
        {
            var code = (System.Reflection.Emit.OpCode)field.GetValue(null)!;
            if (code.Size == 1) OneByteOpCodes[code.Value & 0xFF] = code;
            else TwoByteOpCodes[code.Value & 0xFF] = code;
        }
    }

    private static int OperandSize(System.Reflection.Emit.OpCode code, byte[] il, int at) => code.OperandType switch
    {
        System.Reflection.Emit.OperandType.InlineNone => 0,
        System.Reflection.Emit.OperandType.ShortInlineBrTarget or System.Reflection.Emit.OperandType.ShortInlineI
            or System.Reflection.Emit.OperandType.ShortInlineVar => 1,
        System.Reflection.Emit.OperandType.InlineVar => 2,
        System.Reflection.Emit.OperandType.InlineI8 or System.Reflection.Emit.OperandType.InlineR => 8,
        System.Reflection.Emit.OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
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
