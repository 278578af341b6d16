using FisherKit.Torch.Tests.Support;
using F = FisherKit.Torch.torch.nn.functional;

namespace FisherKit.Torch.Tests.Modules;

/// <summary>
/// A small CNN (conv, ReLU, max-pool, linear, tanh) in float64 with PyTorch's weights: the loss, every
/// parameter gradient, a Hessian-vector product by double backward, and five Adam steps (weight
/// decay, amsgrad) all match PyTorch's.
/// </summary>
public class CnnReferenceTests
{
    private static nn.Module<Tensor, Tensor> SmallCnn() => nn.Sequential(
        nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Conv2d(4, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(128, 16), nn.Tanh(), nn.Linear(16, 10));

    [Fact]
    public void Gradient_and_Hessian_vector_product_of_a_CNN_match_PyTorch()
    {
        var c = Reference.Section("cnn");
        using var scope = NewDisposeScope();
        using var model = SmallCnn();
        model.to(float64);
        model.load_state_dict(Reference.Dict(c.GetProperty("state")));
        var x = Reference.T(c.GetProperty("input"));
        var y = Reference.T(c.GetProperty("target"));
        var named = model.named_parameters().ToList();
        Tensor[] ps = [.. named.Select(p => (Tensor)p.parameter)];
        var loss = F.cross_entropy(model.forward(x), y);
        Assert.Equal(c.GetProperty("loss").GetDouble(), loss.item(), 12);
        var grads = autograd.grad([loss], ps, create_graph: true);
        var v = Reference.Dict(c.GetProperty("v"));
        var expectedGrad = Reference.Dict(c.GetProperty("grad"));
        var expectedHv = Reference.Dict(c.GetProperty("hvp"));
        Tensor gv = zeros([], float64);
        for (int k = 0; k < named.Count; k++)
        {
            AssertClose.Tensors(expectedGrad[named[k].name], grads[k]!.detach(), 1e-12, 1e-9, $"gradient of {named[k].name}");
            gv = gv + (grads[k]! * v[named[k].name]).sum();
        }
        var hv = autograd.grad([gv], ps);
        for (int k = 0; k < named.Count; k++)
            AssertClose.Tensors(expectedHv[named[k].name], hv[k]!, 1e-11, 1e-8, $"H·v of {named[k].name}");
    }

    [Fact]
    public void Five_Adam_steps_on_a_CNN_match_PyTorch()
    {
        var c = Reference.Section("cnn");
        using var scope = NewDisposeScope();
        using var model = SmallCnn();
        model.to(float64);
        model.load_state_dict(Reference.Dict(c.GetProperty("state")));
        var x = Reference.T(c.GetProperty("input"));
        var y = Reference.T(c.GetProperty("target"));
        using var opt = optim.Adam(model.parameters(), lr: 0.01, weight_decay: 1e-3, amsgrad: true);
        var losses = new List<double>();
        for (int step = 0; step < 5; step++)
        {
            using var s = NewDisposeScope();
            opt.zero_grad();
            var loss = F.cross_entropy(model.forward(x), y);
            loss.backward();
            opt.step();
            losses.Add(loss.item());
        }
        AssertClose.Arrays(Reference.Doubles(c.GetProperty("adam_losses")), losses, 1e-12, 1e-10, "losses");
        var own = model.state_dict();
        foreach (var (key, expected) in Reference.Dict(c.GetProperty("state_after_adam")))
            AssertClose.Tensors(expected, own[key], 1e-12, 1e-9, $"{key} after five steps");
    }
}
