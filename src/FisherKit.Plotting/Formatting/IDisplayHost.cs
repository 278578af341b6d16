namespace FisherKit.Plotting.Formatting;

/// <summary>
/// Where displayed values go: the notebook engine (an output of the running cell), a Jupyter
/// kernel (a <c>display_data</c>/<c>update_display_data</c> message), or the console.
/// </summary>
public interface IDisplayHost
{
    /// <summary>Shows a new output. <paramref name="displayId"/> names it for later updates.</summary>
    void Display(MimeBundle bundle, string displayId);

    /// <summary>Replaces, wherever it is shown, the output named <paramref name="displayId"/>.</summary>
    void UpdateDisplay(MimeBundle bundle, string displayId);
}
