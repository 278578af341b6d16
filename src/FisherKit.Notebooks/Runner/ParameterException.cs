namespace FisherKit.Notebooks.Runner;

/// <summary>A command-line parameter is malformed or does not fit the declared type.</summary>
public sealed class ParameterException(string message) : Exception(message);
