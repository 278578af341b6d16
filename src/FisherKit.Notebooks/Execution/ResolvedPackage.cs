namespace FisherKit.Notebooks.Execution;

/// <summary>What a <c>#r "nuget: ..."</c> line brings: managed assemblies, and folders of native libraries for this platform.</summary>
/// <param name="Assemblies">The package's and its dependencies' assemblies for the best framework.</param>
/// <param name="NativeFolders">Their <c>runtimes/&lt;rid&gt;/native</c> folders.</param>
public sealed record ResolvedPackage(IReadOnlyList<string> Assemblies, IReadOnlyList<string> NativeFolders);
