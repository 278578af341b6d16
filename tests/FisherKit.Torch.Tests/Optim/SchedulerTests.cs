using FisherKit.Torch.Tests.Support;

namespace FisherKit.Torch.Tests.Optim;

/// <summary>Learning-rate schedules: closed forms and PyTorch's sequences.</summary>
public class SchedulerTests
{
    private static List<double> Run(Func<optim.Optimizer, FisherKit.Torch.Modules.LRScheduler> make, int epochs, double lr)
    {
        using var scope = NewDisposeScope();
        var p = zeros([1], requires_grad: true);
        using var opt = optim.SGD([p], lr);
        var schedule = make(opt);
        var lrs = new List<double> { opt.LearningRate };
        for (int e = 0; e < epochs; e++)
        {
            schedule.step();
            lrs.Add(opt.LearningRate);
        }
        return lrs;
    }

    public static TheoryData<string> Schedules => ["StepLR(step_size=3, gamma=0.5)", "CosineAnnealingLR(T_max=7, eta_min=0.01)", "CosineAnnealingLR(T_max=4)"];

    [Theory, MemberData(nameof(Schedules))]
    public void Schedule_matches_PyTorch(string name)
    {
        var expected = Reference.Doubles(Reference.Section("schedules").GetProperty(name));
        var lr = Reference.Section("schedules").GetProperty("base_lr").GetDouble();
        var got = name switch
        {
            "StepLR(step_size=3, gamma=0.5)" => Run(o => optim.lr_scheduler.StepLR(o, 3, 0.5), expected.Length - 1, lr),
            "CosineAnnealingLR(T_max=7, eta_min=0.01)" => Run(o => optim.lr_scheduler.CosineAnnealingLR(o, 7, 0.01), expected.Length - 1, lr),
            _ => Run(o => optim.lr_scheduler.CosineAnnealingLR(o, 4), expected.Length - 1, lr),
        };
        AssertClose.Arrays(expected, got, 1e-15, 1e-12, name);
    }

    [Fact]
    public void Step_schedule_halves_every_three_epochs()
    {
        var got = Run(o => optim.lr_scheduler.StepLR(o, 3, 0.5), 7, 0.8);
        AssertClose.Arrays([0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2], got, 1e-15, 0);
    }

    [Fact]
    public void Cosine_schedule_reaches_eta_min_at_T_max_and_half_way_at_T_max_over_two()
    {
        var got = Run(o => optim.lr_scheduler.CosineAnnealingLR(o, 10, 0.1), 10, 1.1);
        Assert.Equal(1.1, got[0], 15);
        Assert.Equal(0.6, got[5], 14);
        Assert.Equal(0.1, got[10], 14);
    }

    [Fact]
    public void Schedules_reject_non_positive_periods()
    {
        using var scope = NewDisposeScope();
        var p = zeros([1], requires_grad: true);
        using var opt = optim.SGD([p], 0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.lr_scheduler.StepLR(opt, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.lr_scheduler.CosineAnnealingLR(opt, 0));
    }
}
