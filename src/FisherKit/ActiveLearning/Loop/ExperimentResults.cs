using Microsoft.Data.Analysis;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>All runs of an experiment and their tidy records, with the usual summaries.</summary>
public sealed class ExperimentResults
{
    /// <summary>Wraps finished runs.</summary>
    public ExperimentResults(IReadOnlyList<LoopRun> runs)
    {
        Runs = runs ?? throw new ArgumentNullException(nameof(runs));
        Records = runs.SelectMany(r => r.Records).ToList();
    }

    /// <summary>The runs (method × seed).</summary>
    public IReadOnlyList<LoopRun> Runs { get; }

    /// <summary>All metric values as tidy records.</summary>
    public IReadOnlyList<ResultRecord> Records { get; }

    /// <summary>Mean learning curves with bands over seeds.</summary>
    public IReadOnlyList<CurvePoint> Curves(string metric) => LearningCurves.Summarize(Records, metric);

    /// <summary>Labels needed to reach <paramref name="target"/>.</summary>
    public IReadOnlyList<LabelsToReach> LabelsNeeded(string metric, double target, bool higherIsBetter) =>
        LearningCurves.LabelsNeeded(Records, metric, target, higherIsBetter);

    /// <summary>The records as a DataFrame (method, seed, round, labels, metric, value).</summary>
    public DataFrame ToDataFrame() => Records.ToDataFrame();

    /// <summary>Writes the records as CSV (temporary file, then rename).</summary>
    public void WriteCsv(string path) => ResultTable.WriteCsv(path, Records);
}
