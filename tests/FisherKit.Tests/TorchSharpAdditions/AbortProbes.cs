using System.Diagnostics;

namespace FisherKit.Tests.TorchSharpAdditions
{

    /// <summary>
    /// Runs a plain TorchSharp call in a child process, to show that it ends the process (the hazard a
    /// FisherKit guard exists for). The child is this test assembly started as an application with
    /// <see cref="StartupHook"/>, which runs the named probe before the (empty) entry point; a probe that
    /// returns normally exits with code 0 and prints "survived".
    /// </summary>
    internal static class AbortProbes
    {
        public const string Variable = "FISHERKIT_ABORT_PROBE";

        private static readonly Dictionary<string, Action> Probes = new()
        {
            ["matmul of mismatched shapes"] = () => _ = ones(2, 3).matmul(ones(4, 5)),
            ["matmul of Bool tensors"] = () => _ = ones([2, 2], @bool).matmul(ones([2, 2], @bool)),
            ["grad twice without retain_graph"] = () =>
            {
                var x = ones([3], requires_grad: true);
                var y = (x * x).sum();
                autograd.grad([y], [x]);
                autograd.grad([y], [x]);
            },
            ["grad of an output without grad_fn"] = () =>
            {
                var x = ones([3], requires_grad: true);
                autograd.grad([(x.detach() * 2).sum()], [x]);
            },
            ["grad with an unused input"] = () =>
            {
                var x = ones([3], requires_grad: true);
                var unused = ones([2], requires_grad: true);
                autograd.grad([(x * x).sum()], [x, unused]);
            },
            ["grad of a non-scalar output without grad_outputs"] = () =>
            {
                var x = ones([3], requires_grad: true);
                autograd.grad([x * x], [x]);
            },
            ["grad with grad_outputs of the wrong shape"] = () =>
            {
                var x = ones([3], requires_grad: true);
                autograd.grad([x * x], [x], [ones(4)]);
            },
            ["grad through a graph another output's grad freed"] = () =>
            {
                var x = ones([3], requires_grad: true);
                var y = x * x;
                autograd.grad([y.sum()], [x]);
                autograd.grad([(y * 2).sum()], [x]);
            },
            ["an exception in a custom function's backward"] = () =>
            {
                var x = ones([3], requires_grad: true);
                ThrowingPlainFunction.apply(x).sum().backward();
            },
        };

        public static IEnumerable<string> Names => Probes.Keys;

        internal static void Run(string name) => Probes[name]();

        /// <summary>Runs a probe in a child process: its exit code and everything it wrote.</summary>
        public static (int exitCode, string output) RunInChild(string name)
        {
            var assembly = typeof(AbortProbes).Assembly.Location;
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("exec");
            psi.ArgumentList.Add(assembly);
            psi.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
            psi.Environment[Variable] = name;
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(120_000))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"The probe '{name}' did not finish in 2 minutes.");
            }
            return (p.ExitCode, stdout + stderr.Result);
        }

        /// <summary>A TorchSharp function (not FisherKit's safe kind) whose backward throws.</summary>
        private sealed class ThrowingPlainFunction : autograd.SingleTensorFunction<ThrowingPlainFunction>
        {
            public override string Name => "ThrowingPlain";

            public override Tensor forward(autograd.AutogradContext ctx, params object[] vars) => ((Tensor)vars[0]).clone();

            public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
                throw new InvalidOperationException("backward failed on purpose");
        }
    }
}

/// <summary>
/// The .NET startup hook of the child processes of <see cref="FisherKit.Tests.TorchSharpAdditions.AbortProbes"/>: does nothing unless
/// FISHERKIT_ABORT_PROBE names a probe (it is only loaded when DOTNET_STARTUP_HOOKS names this assembly).
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var probe = Environment.GetEnvironmentVariable(FisherKit.Tests.TorchSharpAdditions.AbortProbes.Variable);
        if (string.IsNullOrEmpty(probe)) return;
        FisherKit.Tests.TorchSharpAdditions.AbortProbes.Run(probe);
        Console.WriteLine("survived");
        Environment.Exit(0);
    }
}
