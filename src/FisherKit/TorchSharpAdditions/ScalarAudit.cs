using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>A method that hands TorchSharp a Scalar nobody holds, and the call that does it.</summary>
/// <param name="Method">"Type.Method(parameter types)"; a lambda under the type that declares it.</param>
/// <param name="Call">The call that makes the unheld Scalar, in the same form.</param>
public sealed record ScalarAuditFinding(string Method, string Call)
{
    /// <summary>"Method: Call".</summary>
    public override string ToString() => $"{Method}: {Call}";
}

/// <summary>
/// Finds, from their IL, the calls that make a Scalar nobody holds while libtorch reads it (README, "Implicit
/// Scalars and other threads"; <see cref="HeldScalars"/>): in TorchSharp itself, and in an assembly of yours.
/// A lower bound in both: calls through virtual methods are not followed; a module's <c>forward</c> is judged by the
/// module's type where the assembly makes it with TorchSharp's factory (<c>nn.BatchNorm2d(c)</c>).
/// </summary>
public static class ScalarAudit
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static
                                        | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    private static readonly Lazy<(HashSet<MethodBase> Makers, HashSet<MethodBase> Reaching, int WithHandlers)> torchSharp =
        new(ScanTorchSharp);

    /// <summary>
    /// TorchSharp methods whose own IL makes a Scalar (an implicit conversion or <c>ToScalar</c>) and has no
    /// exception handler, so no <c>using</c> holds it: it is passed on and left to its finalizer. At least these;
    /// <see cref="TorchSharpMethodsNotExamined"/> more make one inside a try/finally and are not examined.
    /// </summary>
    public static IReadOnlyList<string> TorchSharpMethodsMakingUnheldScalars() =>
        torchSharp.Value.Makers.Select(MethodName).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// TorchSharp's module types (<c>TorchSharp.Modules</c>) whose <c>forward</c>, their own or the one they inherit,
    /// makes an unheld Scalar on some path (<c>BatchNorm2d</c>: <c>num_batches_tracked.add_(1)</c> in training mode).
    /// <see cref="Audit"/> cannot see these in your code, which calls <c>forward</c> through a virtual method; a network
    /// built of them makes such Scalars whatever the code around it holds. A lower bound, like the audit.
    /// </summary>
    public static IReadOnlyList<string> TorchSharpModulesMakingUnheldScalars() =>
        torchSharpModules.Value.Select(t => t.Name).Order(StringComparer.Ordinal).ToList();

    private static readonly Lazy<HashSet<Type>> torchSharpModules = new(() =>
    {
        var reaching = torchSharp.Value.Reaching;
        var modules = new HashSet<Type>();
        foreach (var type in LoadableTypes(typeof(Tensor).Assembly))
        {
            if (type.IsAbstract || !typeof(nn.Module).IsAssignableFrom(type)) continue;
            var forwards = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                               .Where(m => m.Name == "forward" && !m.IsAbstract);
            // Seen from its declaring type, as the scan of TorchSharp's bodies saw it (an inherited forward is reflected from the derived type).
            if (forwards.Any(f => reaching.Contains(MethodBase.GetMethodFromHandle(f.MethodHandle, f.DeclaringType!.TypeHandle)!)))
                modules.Add(type);
        }
        return modules;
    });

    /// <summary>TorchSharp methods that make a Scalar inside a try/finally (a dispose scope, a foreach or a <c>using</c>): not examined.</summary>
    public static int TorchSharpMethodsNotExamined => torchSharp.Value.WithHandlers;

    /// <summary>
    /// The calls in <paramref name="assembly"/> that make an unheld Scalar: an implicit conversion to Scalar, a
    /// <c>ToScalar</c> in a method without a try/finally to dispose it, or a call of a TorchSharp method that makes
    /// one itself, directly or through other TorchSharp methods (<c>x + y</c>, <c>x * 2.0</c>, <c>x.square()</c>),
    /// or of one that makes a module whose <c>forward</c> does (<c>nn.BatchNorm2d(c)</c>;
    /// <see cref="TorchSharpModulesMakingUnheldScalars"/>). <see cref="HeldScalars"/> itself is left out.
    /// </summary>
    public static IReadOnlyList<ScalarAuditFinding> Audit(Assembly assembly)
    {
        var reaching = torchSharp.Value.Reaching;
        var modules = torchSharpModules.Value;
        var findings = new HashSet<ScalarAuditFinding>();
        foreach (var (type, method, body, called) in Bodies(assembly))
        {
            if (type == typeof(HeldScalars)) continue;
            foreach (var callee in called)
            {
                bool unheld = IsImplicitConversion(callee)
                              || IsToScalar(callee) && body.ExceptionHandlingClauses.Count == 0
                              || reaching.Contains(callee.IsGenericMethod && callee is MethodInfo mi ? mi.GetGenericMethodDefinition() : callee)
                              || callee is MethodInfo made && modules.Contains(made.ReturnType);   // nn.BatchNorm2d(c): its forward makes one
                if (unheld) findings.Add(new ScalarAuditFinding(MethodName(method), MethodName(callee)));
            }
        }
        return findings.OrderBy(f => f.ToString(), StringComparer.Ordinal).ToList();
    }

    private static (HashSet<MethodBase>, HashSet<MethodBase>, int) ScanTorchSharp()
    {
        var makers = new HashSet<MethodBase>();
        var callers = new Dictionary<MethodBase, List<MethodBase>>();
        int withHandlers = 0;
        foreach (var (type, method, body, called) in Bodies(typeof(Tensor).Assembly))
        {
            // Scalar's own conversions and ToScalar return the Scalar they make: their caller owns it.
            if (type == typeof(Scalar) || type.Name == "ScalarExtensionMethods") continue;
            bool makes = false;
            foreach (var callee in called)
            {
                if (IsImplicitConversion(callee) || IsToScalar(callee)) makes = true;
                if (!callers.TryGetValue(callee, out var list)) callers[callee] = list = [];
                list.Add(method);
            }
            if (!makes) continue;
            if (body.ExceptionHandlingClauses.Count > 0) withHandlers++;
            else makers.Add(method);
        }
        // Everything in TorchSharp that calls a maker, directly or through other TorchSharp methods.
        var reaching = new HashSet<MethodBase>(makers);
        var queue = new Queue<MethodBase>(makers);
        while (queue.TryDequeue(out var m))
            if (callers.TryGetValue(m, out var list))
                foreach (var caller in list)
                    if (reaching.Add(caller)) queue.Enqueue(caller);
        return (makers, reaching, withHandlers);
    }

    private static bool IsImplicitConversion(MethodBase m) => m.DeclaringType == typeof(Scalar) && m.Name == "op_Implicit";

    private static bool IsToScalar(MethodBase m) =>
        m.DeclaringType?.Name == "ScalarExtensionMethods" && m.Name.StartsWith("To", StringComparison.Ordinal)
                                                          && m.Name.EndsWith("Scalar", StringComparison.Ordinal);

    /// <summary>Every method body of an assembly with the methods it names (call, callvirt, newobj, ldftn).</summary>
    private static IEnumerable<(Type Type, MethodBase Method, MethodBody Body, List<MethodBase> Called)> Bodies(Assembly assembly)
    {
        foreach (var type in LoadableTypes(assembly))
            foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                MethodBody? body;
                try { body = method.GetMethodBody(); }
                catch (Exception e) when (e is FileNotFoundException or TypeLoadException) { continue; }
                if (body?.GetILAsByteArray() is not { } il) continue;
                yield return (type, method, body, CalledMethods(method, il).ToList());
            }
    }

    private static Type[] LoadableTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>().ToArray(); }   // types of optional dependencies
    }

    /// <summary>"Type.Method(parameter types)"; a lambda or other compiler-made method under the type that declares it.</summary>
    private static string MethodName(MethodBase method)
    {
        var type = method.DeclaringType!;
        var outer = type;
        while (outer.IsNested && outer.Name.Contains('<')) outer = outer.DeclaringType!;   // closures: <>c, <>c__DisplayClass, state machines
        var name = method.Name.Contains('<') || type != outer ? $"lambda {method.Name}" : method.Name;
        return $"{outer.Name}.{name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType.Name))})";
    }

    /// <summary>The methods a method body names (every method operand), decoded instruction by instruction.</summary>
    private static IEnumerable<MethodBase> CalledMethods(MethodBase method, byte[] il)
    {
        var generic = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodGeneric = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? TwoByteOpCodes[il[i + 1]] : OneByteOpCodes[il[i]];
            int operand = i + code.Size;
            i = operand + OperandSize(code, il, operand);
            if (code.OperandType != OperandType.InlineMethod) continue;
            MethodBase? called = null;
            try { called = method.Module.ResolveMethod(BitConverter.ToInt32(il, operand), generic, methodGeneric); }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or FileNotFoundException or TypeLoadException) { }
            if (called is not null) yield return called;
        }
    }

    private static readonly OpCode[] OneByteOpCodes = new OpCode[256];
    private static readonly OpCode[] TwoByteOpCodes = new OpCode[256];

    static ScalarAudit()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            if (code.Size == 1) OneByteOpCodes[code.Value & 0xFF] = code;
            else TwoByteOpCodes[code.Value & 0xFF] = code;
        }
    }

    private static int OperandSize(OpCode code, byte[] il, int at) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
