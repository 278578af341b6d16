using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Execution;

/// <summary>Receives what a running cell produces, as it happens (a Jupyter kernel forwards these as iopub messages).</summary>
public interface IExecutionObserver
{
    /// <summary>Text written to <c>stdout</c> or <c>stderr</c>.</summary>
    void OnStream(string name, string text);

    /// <summary>A value shown with <c>display(x)</c>.</summary>
    void OnDisplay(MimeBundle bundle, string displayId);

    /// <summary>A shown value replaced in place (<c>handle.Update(x)</c>; Jupyter <c>update_display_data</c>).</summary>
    void OnUpdateDisplay(MimeBundle bundle, string displayId);
}
