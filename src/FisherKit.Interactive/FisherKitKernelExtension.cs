using Microsoft.DotNet.Interactive;

namespace FisherKit.Interactive;

/// <summary>
/// The .NET Interactive kernel extension of the FisherKit package (<c>interactive-extensions/dotnet/</c>): the
/// kernel loads it after <c>#r "nuget: FisherKit"</c> and it calls <see cref="InteractiveIntegration.Register"/>.
/// </summary>
public sealed class FisherKitKernelExtension : IKernelExtension
{
    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        InteractiveIntegration.Register(kernel);
        return Task.CompletedTask;
    }
}
