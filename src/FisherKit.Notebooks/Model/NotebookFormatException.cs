namespace FisherKit.Notebooks.Model;

/// <summary>A file is not a notebook FisherKit can run: malformed JSON, not nbformat 4, or another kernel language.</summary>
public sealed class NotebookFormatException : Exception
{
    /// <summary>Makes the exception.</summary>
    public NotebookFormatException(string message) : base(message) { }

    /// <summary>Makes the exception with its cause.</summary>
    public NotebookFormatException(string message, Exception inner) : base(message, inner) { }
}
