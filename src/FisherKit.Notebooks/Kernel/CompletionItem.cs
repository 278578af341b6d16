namespace FisherKit.Notebooks.Kernel;

/// <summary>One completion: the text to insert, its kind (<c>method</c>, <c>property</c>, <c>class</c>, ...) and a signature.</summary>
internal sealed record CompletionItem(string Text, string Kind, string Signature);
