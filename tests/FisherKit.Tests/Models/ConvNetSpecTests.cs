using FisherKit.Models;
using TorchSharp.Modules;

namespace FisherKit.Tests.Models;

[Collection(LeakChecks.Name)] // runs alone: seeds and draws from the process-wide random generator
public sealed class ConvNetSpecTests
{
    [Fact]
    public void The_benchmark_cnn_has_the_parameter_count_of_the_keras_mnist_example()
    {
        // The Keras mnist_cnn example (conv32-conv64-maxpool-dropout-fc128-dropout-fc10 on 28x28x1)
        // reports "Total params: 1,199,882" in its model summary.
        var spec = ConvNetSpec.Benchmark();
        Assert.Equal(1_199_882, spec.ParameterCount);
        using var model = spec.Build(seed: 0);
        Assert.Equal(spec.ParameterCount, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Layers_and_parameters_carry_readable_names()
    {
        using var model = ConvNetSpec.Benchmark().Build(seed: 0);
        Assert.Equal(["conv1", "relu1", "conv2", "relu2", "pool", "dropout1", "flatten", "fc1", "relu3", "dropout2", "fc2"],
            model.named_children().Select(c => c.name));
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"],
            model.named_parameters().Select(p => p.name));
        Assert.IsType<Conv2d>(ConvNetSpec.Layer(model, "conv2"));
        var e = Assert.Throws<ArgumentException>(() => ConvNetSpec.Layer(model, "conv3"));
        Assert.Contains("conv1", e.Message);
    }

    [Fact]
    public void Without_dropout_the_network_has_no_dropout_layers_and_says_so()
    {
        var spec = ConvNetSpec.Benchmark(classes: 9, dropout: false);
        Assert.False(spec.HasDropout);
        Assert.Equal("conv32-conv64-maxpool-fc128-fc9 on 1x28x28", spec.Description);
        using var model = spec.Build(seed: 0);
        Assert.DoesNotContain(model.named_children(), c => c.name.StartsWith("dropout", StringComparison.Ordinal));
        Assert.Equal("conv32-conv64-maxpool-dropout0.25-fc128-dropout0.5-fc10 on 1x28x28", ConvNetSpec.Benchmark().Description);
    }

    [Fact]
    public void The_network_maps_images_to_logits_of_every_class_for_other_sizes_too()
    {
        var spec = new ConvNetSpec { InputChannels = 3, InputSize = 32, Classes = 4, Conv1Channels = 4, Conv2Channels = 6, Hidden = 8 };
        using var model = spec.Build(seed: 1);
        using var scope = NewDisposeScope();
        model.eval();
        var z = model.call(rand(5, 3, 32, 32));
        Assert.Equal([5L, 4L], z.shape);
        Assert.Equal(spec.ParameterCount, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void The_same_seed_gives_the_same_initial_weights_and_another_seed_others()
    {
        using var a = ConvNetSpec.Benchmark().Build(seed: 3);
        using var b = ConvNetSpec.Benchmark().Build(seed: 3);
        using var c = ConvNetSpec.Benchmark().Build(seed: 4);
        using var scope = NewDisposeScope();
        foreach (var ((_, pa), (_, pb), (_, pc)) in a.named_parameters().Zip(b.named_parameters(), c.named_parameters()))
        {
            Assert.Equal(pa.ToArray<float>(), pb.ToArray<float>());
            Assert.NotEqual(pa.ToArray<float>(), pc.ToArray<float>());
        }
    }

    [Fact]
    public void Impossible_sizes_are_refused_with_the_setting_named()
    {
        Assert.Contains("InputSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ConvNetSpec { InputSize = 5 }.Build(0)).ParamName);
        Assert.Contains("Classes", Assert.Throws<ArgumentOutOfRangeException>(() => new ConvNetSpec { Classes = 1 }.Description).ParamName);
        Assert.Contains("DenseDropout", Assert.Throws<ArgumentOutOfRangeException>(() => new ConvNetSpec { DenseDropout = 1 }.Build(0)).ParamName);
    }
}
