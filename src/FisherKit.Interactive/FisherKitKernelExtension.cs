using Microsoft.DotNet.Interactive;

namespace FisherKit.Interactive;

/// <summary>
/// The .NET Interactive kernel extension of the FisherKit package (<c>interactive-extensions/dotnet/</c>): the
/// kernel loads it after <c>#r "nuget: FisherKit"</c>; it registers FisherKit's display
/// (<see cref="InteractiveIntegration.Register"/>) and runs FisherKit's start-up before the notebook's first
/// tensor (<see cref="InteractiveIntegration.PrepareFisherKit"/>).
/// </summary>
public sealed class FisherKitKernelExtension : IKernelExtension
{
    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        InteractiveIntegration.Register(kernel);
        var prepared = InteractiveIntegration.PrepareFisherKit();
        if (!prepared.StartsWith("FisherKit prepared", StringComparison.Ordinal)) Console.Error.WriteLine("FisherKit: " + prepared);
        return Task.CompletedTask;
    }
}
