using FisherKit.Fisher;
using FisherKit.Fisher.Curvature;
using FisherKit.Fisher.Likelihoods;

namespace FisherKit.Tests.Fisher;

[Collection(LeakChecks.Name)] // runs alone: reads the process-wide live-tensor count
public class FisherOperatorLeakTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(500)]
    public void Factor_rows_leave_no_tensor_behind(int points)
    {
        using var model = TinyNets.Mlp(3, inputs: 2, hidden: 4, classes: 1);
        using var x = TinyNets.Inputs(3, points, 2);
        void Once()
        {
            using var scope = NewDisposeScope();
            using var op = FisherOperator.FromTensors(model, new Gaussian(1), x, null, 512, FisherKind.True, Normalization.Sum);
            op.FactorRows();
        }
        Once();                               // lazy statics first
        long before = LeakChecks.SettledCount();
        for (int i = 0; i < 20; i++) Once();
        Assert.Equal(before, Tensor.TotalCount);   // not collected: a forgotten tensor must show, not be finalized
    }
}
