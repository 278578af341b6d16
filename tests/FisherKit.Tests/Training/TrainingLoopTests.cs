using FisherKit.TorchSharpAdditions;
using static FisherKit.TorchSharpAdditions.HeldScalars;
using FisherKit.ActiveLearning;
using FisherKit.ActiveLearning.Learners;
using FisherKit.Models;
using FisherKit.Tests.Uncertainty;
using FisherKit.Training;
using FisherKit.Uncertainty;

namespace FisherKit.Tests.Training;

/// <summary>The one training loop itself: its arithmetic, its stopping rule and the modes it leaves behind, for every task that uses it.</summary>
[Collection(LeakChecks.Name)] // runs alone: draws from the process-wide random generator
public sealed class TrainingLoopTests
{
    private static nn.Module<Tensor, Tensor> Mlp(long seed)
    {
        manual_seed(seed);
        return nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2));
    }

    private static float[][] Weights(nn.Module model) => model.parameters().Select(p => p.detach().ToArray<float>()).ToArray();

    [Theory]
    [InlineData(OptimizerKind.Adam, LearningRateSchedule.Constant, 0.0)]
    [InlineData(OptimizerKind.Sgd, LearningRateSchedule.Cosine, 1e-3)]
    [InlineData(OptimizerKind.FusedAdam, LearningRateSchedule.Constant, 1e-3)]
    public void The_loop_computes_the_same_weights_as_a_plain_TorchSharp_loop(OptimizerKind kind, LearningRateSchedule schedule, double decay)
    {
        using var g = new Generator(11);
        using var x = randn([21, 3], generator: g);
        using var y = x.select(1, 0).gt(0).to(ScalarType.Int64);
        using var model = Mlp(5);
        using var reference = Mlp(5);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 8, LearningRate = 0.05, Optimizer = kind, Momentum = 0.9, WeightDecay = decay, Schedule = schedule };
        using (var order = new Generator(3))
            TrainingLoop.Run(model, new ClassificationLoss(2), new TensorBatches(x, y, 8, order), options);

        // The same by hand: a permutation per epoch from the same generator, batches of 8, 8 and 5,
        // zero_grad / forward / cross-entropy / backward / step, the cosine rate set at each epoch's start.
        using var handOrder = new Generator(3);
        var ps = reference.parameters().ToList();
        using var optimizer = kind switch
        {
            OptimizerKind.Adam => optim.Adam(ps, lr: 0.05, weight_decay: decay),
            OptimizerKind.FusedAdam => new FisherKit.TorchSharpAdditions.FusedAdam(ps, lr: 0.05, weight_decay: decay),
            _ => (optim.Optimizer)optim.SGD(ps, 0.05, momentum: 0.9, weight_decay: decay),
        };
        reference.train();
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            if (schedule == LearningRateSchedule.Cosine)
                foreach (var group in optimizer.ParamGroups) group.LearningRate = 0.05 * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / 3));
            using var perm = randperm(21, generator: handOrder);
            for (long start = 0; start < 21; start += 8)
            {
                using var scope = NewDisposeScope();
                var idx = perm.narrow(0, start, Math.Min(8, 21 - start));
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(reference.call(x.index_select(0, idx)), y.index_select(0, idx));
                loss.backward();
                optimizer.step();
            }
        }
        Assert.Equal(Weights(reference), Weights(model));   // bit for bit
    }

    /// <summary>
    /// A network with a layer its forward pass uses only for batches of 2 and one it never uses: the
    /// backward pass reaches their parameters in some steps, or never.
    /// </summary>
    private sealed class PartlyUsedLayers : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> always, sometimes, never;

        public PartlyUsedLayers() : base(nameof(PartlyUsedLayers))
        {
            always = nn.Linear(3, 2);
            sometimes = nn.Linear(3, 2);
            never = nn.Linear(3, 2);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => x.shape[0] == 2 ? always.call(x) + sometimes.call(x) : always.call(x);
    }

    /// <summary>Ten inputs of 3 features, labels from one feature's sign, and two equal networks of <see cref="PartlyUsedLayers"/>.</summary>
    private sealed class PartlyUsedCase : IDisposable
    {
        public PartlyUsedCase(int seed, int labelColumn)
        {
            using var g = new Generator((ulong)seed);
            X = randn([10, 3], generator: g);
            Y = X.select(1, labelColumn).gt(0).to(ScalarType.Int64);
            manual_seed(seed);
            Model = new PartlyUsedLayers();
            manual_seed(seed);
            Reference = new PartlyUsedLayers();
        }

        public Tensor X { get; }
        public Tensor Y { get; }
        public PartlyUsedLayers Model { get; }
        public PartlyUsedLayers Reference { get; }

        public void Dispose()
        {
            X.Dispose();
            Y.Dispose();
            Model.Dispose();
            Reference.Dispose();
        }
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.FusedAdam)]
    public void Parameters_the_backward_pass_reaches_in_some_steps_or_never_are_updated_as_after_zero_grad(OptimizerKind kind)
    {
        using var c = new PartlyUsedCase(seed: 5, labelColumn: 1);
        var (x, y, model, reference) = (c.X, c.Y, c.Model, c.Reference);
        var initial = Weights(reference);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 4, LearningRate = 0.05, Optimizer = kind, Momentum = 0.9, WeightDecay = 1e-2 };
        TrainingLoop.Run(model, new ClassificationLoss(2), new TensorBatches(x, y, 4), options);   // batches of 4, 4 and 2

        // By hand with TorchSharp's zero_grad, which zeroes a gradient once it exists and keeps it.
        var ps = reference.parameters().ToList();
        using var optimizer = kind switch
        {
            OptimizerKind.Adam => optim.Adam(ps, lr: 0.05, weight_decay: 1e-2),
            OptimizerKind.FusedAdam => new FisherKit.TorchSharpAdditions.FusedAdam(ps, lr: 0.05, weight_decay: 1e-2),
            _ => (optim.Optimizer)optim.SGD(ps, 0.05, momentum: 0.9, weight_decay: 1e-2),
        };
        reference.train();
        for (int epoch = 0; epoch < 3; epoch++)
            foreach (var (start, size) in new[] { (0L, 4L), (4L, 4L), (8L, 2L) })
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                nn.functional.cross_entropy(reference.call(x.narrow(0, start, size)), y.narrow(0, start, size)).backward();
                optimizer.step();
            }
        var trained = Weights(model);
        Assert.Equal(Weights(reference), trained);           // bit for bit
        Assert.NotEqual(initial[2], trained[2]);              // "sometimes" moved, also in the steps that did not reach it
        Assert.Equal(initial[4], trained[4]);                 // "never" was skipped, as after zero_grad
    }

    [Fact]
    public void A_second_run_on_the_same_network_and_a_failed_run_keep_zero_grads_gradients()
    {
        using var c = new PartlyUsedCase(seed: 6, labelColumn: 2);
        var (x, y, model, reference) = (c.X, c.Y, c.Model, c.Reference);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 4, LearningRate = 0.05, WeightDecay = 1e-2 };
        // Run 1 reaches "sometimes" in its last batch; run 2 fails at once (a non-finite target); run 3 starts
        // with batches of 4, which do not reach it: the gradient it held is zeroed, not dropped.
        TrainingLoop.Run(model, new ClassificationLoss(2), new TensorBatches(x, y, 4), options);
        using (var bad = x.clone())
        {
            bad[0, 0] = float.NaN;
            Assert.Throws<InvalidOperationException>(() => TrainingLoop.Run(model, new ClassificationLoss(2), new TensorBatches(bad, y, 4), options));
        }
        TrainingLoop.Run(model, new ClassificationLoss(2), new TensorBatches(x, y, 4), options);

        var ps = reference.parameters().ToList();
        reference.train();
        for (int run = 0; run < 2; run++)
        {
            using var optimizer = optim.Adam(ps, lr: 0.05, weight_decay: 1e-2);   // each run starts its own optimiser
            foreach (var (start, size) in new[] { (0L, 4L), (4L, 4L), (8L, 2L) })
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                nn.functional.cross_entropy(reference.call(x.narrow(0, start, size)), y.narrow(0, start, size)).backward();
                optimizer.step();
            }
        }
        Assert.Equal(Weights(reference), Weights(model));   // bit for bit
    }

    [Fact]
    public void A_batch_norm_with_one_value_per_channel_stops_the_run_before_its_running_variance_becomes_NaN()
    {
        using var x = randn([33, 6], generator: new Generator(3));
        using var y = randint(0, 3, [33], generator: new Generator(4));
        using var model = nn.Sequential(("fc", nn.Linear(6, 8)), ("bn", nn.BatchNorm1d(8)), ("relu", nn.ReLU()), ("out", nn.Linear(8, 3)));
        var options = new TrainingOptions { Epochs = 2, BatchSize = 32 };
        // 33 items in batches of 32: the second batch holds 1 item, one value per channel for BatchNorm1d.
        var e = Assert.Throws<ArgumentException>(() => TrainingLoop.Run(model, new ClassificationLoss(3), new TensorBatches(x, y, 32), options));
        Assert.Contains("batch norm 'bn' got one value per channel in training (input [1, 8])", e.Message);
        var bn = (TorchSharp.Modules.BatchNorm)model.named_modules().Single(m => m.name == "bn").module;
        Assert.True(bn.running_var!.isfinite().all().item<bool>(), "the running variance became NaN");
        // Equal batches (17 + 16) train, and a second run finds no hook left behind.
        TrainingLoop.Run(model, new ClassificationLoss(3), new TensorBatches(x, y, 32, equalBatches: true), options with { EqualBatches = true });
        // FisherKit's own batch norm refuses the same, also outside the loop.
        using var held = HeldBatchNorm.BatchNorm1d(8);
        Assert.Contains("one value per channel", Assert.Throws<ArgumentException>(() => held.call(ones(1, 8))).Message);
        held.eval();
        Assert.Equal([1L, 8], held.call(ones(1, 8)).shape);                                  // evaluation uses the running statistics
    }

    [Fact]
    public void Class_labels_of_the_wrong_type_or_range_are_named_before_the_first_step()
    {
        using var x = randn([8, 6], generator: new Generator(7));
        using var model = nn.Sequential(("fc", nn.Linear(6, 3)));
        var options = new TrainingOptions { Epochs = 1, BatchSize = 4 };
        using var int32 = tensor(new int[] { 0, 1, 2, 0, 1, 2, 0, 1 });
        Assert.Contains("Int64 tensor [N]", Assert.Throws<ArgumentException>(() => TrainingLoop.Run(model, new ClassificationLoss(3), new TensorBatches(x, int32, 4), options)).Message);
        using var outOfRange = tensor(new long[] { 0, 1, 3, 0, 1, 2, 0, 1 });
        Assert.Contains("must lie in 0 … 2; this batch holds 0 … 3", Assert.Throws<ArgumentException>(() => TrainingLoop.Run(model, new ClassificationLoss(3), new TensorBatches(x, outOfRange, 4), options)).Message);
        using var column = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 }).reshape(8, 1);
        Assert.Contains("[4, 1]", Assert.Throws<ArgumentException>(() => TrainingLoop.Run(model, new ClassificationLoss(3), new TensorBatches(x, column, 4), options)).Message);
    }

    [Fact]
    public void A_validation_loss_that_is_not_finite_stops_the_run()
    {
        using var x = randn([16, 6], generator: new Generator(5));
        using var y = randint(0, 3, [16], generator: new Generator(6));
        using var model = nn.Sequential(("fc", nn.Linear(6, 8)), ("bn", nn.BatchNorm1d(8)), ("out", nn.Linear(8, 3)));
        var bn = (TorchSharp.Modules.BatchNorm)model.named_modules().Single(m => m.name == "bn").module;
        using (no_grad()) bn.running_var!.fill_(Hold(double.NaN));                          // broken in evaluation mode only
        var e = Assert.Throws<InvalidOperationException>(() => TrainingLoop.Run(model, new ClassificationLoss(3), new TensorBatches(x, y, 8),
            new TrainingOptions { Epochs = 2, BatchSize = 8 }, validation: new TensorBatches(x, y, 8)));
        Assert.Contains("validation loss became NaN after epoch 1", e.Message);
    }

    [Fact]
    public void Runs_longer_than_their_epochs_when_MinSteps_asks_and_equal_batches_split_evenly()
    {
        using var x = randn([10, 3]);
        using var y = zeros([10], ScalarType.Int64);
        using var model = Mlp(1);
        var sizes = new List<long>();
        var history = TrainingLoop.Run(model, new ClassificationLoss(), new RecordingBatches(new TensorBatches(x, y, 4, equalBatches: true), sizes),
            new TrainingOptions { Epochs = 1, BatchSize = 4, MinSteps = 7, EqualBatches = true });
        Assert.Equal(7, history.StepLosses.Count);                    // 3 epochs of 3 steps, the last cut short after 1
        Assert.Equal([4L, 3, 3, 4, 3, 3, 4], sizes);
        Assert.Equal(3, history.EpochEnds.Count);
        Assert.Equal([4L, 3, 3], BatchSource.Sizes(10, 4, equal: true));
        Assert.Equal([4L, 4, 2], BatchSource.Sizes(10, 4, equal: false));
    }

    [Fact]
    public void A_non_finite_loss_stops_a_regression_run_naming_epoch_and_step_and_leaves_the_network_in_evaluation_mode()
    {
        using var data = new TinyTwiData(count: 16);
        manual_seed(2);
        using var net = new UNet(new UNetOptions(9, Depth: 2, BaseWidth: 4, Head: RegressionHead.Gaussian, Dropout: 0.1));
        net.train();
        using (no_grad())
            net.parameters().Last().fill_(double.PositiveInfinity);    // the head's last bias: the loss is not finite
        var e = Assert.Throws<InvalidOperationException>(() =>
            UNetTraining.Fit(net, data.Data, null, new TrainingOptions { Epochs = 2, BatchSize = 8, WarmupEpochs = 1 }));
        Assert.Contains("epoch 1, step 1", e.Message);
        Assert.Contains("training stopped", e.Message);
        Assert.All(net.modules().Prepend(net), m => Assert.False(m.training));
    }

    [Fact]
    public void A_non_finite_loss_stops_an_active_learning_network_naming_epoch_and_step()
    {
        using var g = new Generator(3);
        using var x = randn([12, 4], generator: g);
        using var y = x.sum(1);
        y[5].fill_(double.PositiveInfinity);   // an infinite target: standardised, every target is NaN
        using var m = new NetworkModel(TaskKind.Regression, nn.Sequential(nn.Linear(4, 8), nn.Tanh(), new McDropoutLayer(0.1), nn.Linear(8, 1)), 1,
            new TrainingOptions { Epochs = 2, BatchSize = 4 });
        var e = Assert.Throws<InvalidOperationException>(() => m.Fit(x, y, 0));
        Assert.Contains("epoch 1, step 1", e.Message);
        Assert.False(m.Network.training);                              // back in evaluation mode, as before the run
    }

    [Fact]
    public void A_loss_that_turns_non_finite_later_names_the_step_where_it_did_and_every_module_gets_its_mode_back()
    {
        using var x = ones([12, 3]);
        using var y = zeros([12], ScalarType.Int64);
        var model = Mlp(4);
        int calls = 0;
        using var poisoned = nn.Sequential(("net", model), ("poison", new Lambda("poison", t => t * (++calls == 5 ? double.NaN : 1.0))));
        poisoned.train();
        model.modules().First().eval();                                // one layer deliberately in evaluation mode
        var modes = poisoned.modules().Prepend(poisoned).Select(m => m.training).ToList();
        var e = Assert.Throws<InvalidOperationException>(() =>
            TrainingLoop.Run(poisoned, new ClassificationLoss(), new TensorBatches(x, y, 4), new TrainingOptions { Epochs = 3, BatchSize = 4 }));
        Assert.Contains("epoch 2, step 5 (batch 2 of the epoch)", e.Message);
        Assert.Equal(modes, poisoned.modules().Prepend(poisoned).Select(m => m.training).ToList());
        Assert.Contains(false, modes);
    }

    /// <summary>A batch source that records the size of every batch it hands out.</summary>
    private sealed class RecordingBatches(BatchSource inner, List<long> sizes) : BatchSource
    {
        public override long Count => inner.Count;

        public override long BatchesPerEpoch => inner.BatchesPerEpoch;

        public override IEnumerable<TrainingBatch> Epoch(int epoch)
        {
            foreach (var b in inner.Epoch(epoch))
            {
                sizes.Add(b.Count);
                yield return b;
            }
        }

        public override IEnumerable<TrainingBatch> InOrder() => inner.InOrder();
    }
}
