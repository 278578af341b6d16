namespace FisherKit.Notebooks.Execution;

/// <summary>A <c>#r "nuget: ..."</c> package could not be found locally.</summary>
public sealed class PackageResolutionException(string message) : Exception(message);
