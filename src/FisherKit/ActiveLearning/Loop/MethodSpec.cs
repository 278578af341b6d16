using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.ActiveLearning.Learners;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>A method of an experiment: its name, acquisition, model factory and (optionally) its own initial strategy.</summary>
public sealed record MethodSpec(string Name, IAcquisition Acquisition, Func<long, IActiveModel> ModelFactory, IAcquisition? Initial = null);
