using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Execution;

/// <summary>Sends displayed values of a cell to its observer.</summary>
internal sealed class ObserverDisplayHost(IExecutionObserver observer) : IDisplayHost
{
    public void Display(MimeBundle bundle, string displayId) => observer.OnDisplay(bundle, displayId);

    public void UpdateDisplay(MimeBundle bundle, string displayId) => observer.OnUpdateDisplay(bundle, displayId);
}
