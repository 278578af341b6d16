namespace FisherKit.Torch.Tests;

public class SmokeTests
{
    [Fact]
    public void A_tiny_regression_trains()
    {
        manual_seed(0);
        using var scope = NewDisposeScope();
        var x = randn(64, 3);
        var w = tensor(new float[] { 1, -2, 0.5f }, [3, 1]);
        var y = x.matmul(w) + 0.3;
        using var model = nn.Linear(3, 1);
        using var opt = optim.Adam(model.parameters(), lr: 0.05);
        double last = 0;
        for (int i = 0; i < 300; i++)
        {
            using var s = NewDisposeScope();
            opt.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            opt.step();
            last = loss.item();
        }
        Assert.True(last < 1e-3, $"loss {last}");
        Console.WriteLine(model.bias);
    }
}
