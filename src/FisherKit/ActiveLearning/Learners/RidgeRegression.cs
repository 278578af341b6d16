using FisherKit.Fisher.Likelihoods;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Learners;

/// <summary>
/// Ridge regression in closed form (float64), as MATLAB's <c>ridge(y, X, λ, 0)</c> used by Wu, Lin &amp;
/// Huang (2019): the columns of X are centred and scaled to unit standard deviation (n − 1 normalisation;
/// columns with zero spread keep scale 1), the standardised coefficients solve
/// (ZᵀZ + λI) b_s = Zᵀy, and are returned to the original scale: b = b_s / s_x, b₀ = ȳ − x̄ᵀb.
/// The intercept is not penalised. The fitted map is held in a Linear layer, so the Fisher-based
/// acquisitions see a linear-Gaussian model (Gaussian likelihood, σ = 1) whose last layer is the whole
/// model: its Fisher embedding of x is (x, 1).
/// </summary>
public sealed class RidgeRegression : IActiveModel, IFisherModel
{
    private readonly Linear _linear;

    /// <summary>A model for <paramref name="features"/> inputs and <paramref name="outputs"/> targets.</summary>
    public RidgeRegression(int features, double lambda = 0.01, bool standardize = true, int outputs = 1)
    {
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "At least one feature is needed.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "At least one output is needed.");
        if (!(lambda >= 0) || double.IsInfinity(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The ridge parameter must be finite and ≥ 0.");
        Lambda = lambda;
        Standardize = standardize;
        Features = features;
        _linear = nn.Linear(features, outputs, dtype: ScalarType.Float64);
        using (no_grad())
        {
            _linear.weight.zero_();
            _linear.bias!.zero_();
        }
    }

    /// <summary>The ridge parameter λ.</summary>
    public double Lambda { get; }

    /// <summary>Whether the penalty acts on standardised columns (MATLAB's convention) or on the raw ones.</summary>
    public bool Standardize { get; }

    /// <summary>Number of input features.</summary>
    public int Features { get; }

    /// <inheritdoc />
    public TaskKind Task => TaskKind.Regression;

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Network => _linear;

    /// <inheritdoc />
    public Linear LastLayer => _linear;

    /// <inheritdoc />
    public PredictiveDistribution Likelihood { get; } = new Gaussian(1);

    /// <summary>Coefficients on the original scale, (outputs, features).</summary>
    public Tensor Weight => _linear.weight;

    /// <summary>Intercepts, (outputs).</summary>
    public Tensor Bias => _linear.bias!;

    /// <inheritdoc />
    public Tensor PrepareInputs(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(TensorUtil.Flat64(inputs));
    }

    /// <inheritdoc />
    public void Fit(Tensor inputs, Tensor targets, long seed)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        var x = TensorUtil.Flat64(inputs);
        var y = TensorUtil.AsMatrix(targets).to(ScalarType.Float64);
        var n = x.shape[0];
        if (x.shape[1] != Features) throw new ArgumentException($"The model has {Features} features, the inputs {x.shape[1]}.", nameof(inputs));
        if (y.shape[0] != n) throw new ArgumentException($"{n} inputs but {y.shape[0]} targets.", nameof(targets));
        if (y.shape[1] != _linear.out_features) throw new ArgumentException($"The model has {_linear.out_features} outputs, the targets {y.shape[1]}.", nameof(targets));
        if (n < 1) throw new ArgumentException("Cannot fit on an empty labelled set.", nameof(inputs));
        var mx = x.mean([0]);
        Tensor sx;
        if (Standardize && n > 1)
        {
            sx = x.std(0, unbiased: true);
            sx = where(sx.gt(Hold(Math.Sqrt(2.220446049250313e-16))), sx, ones_like(sx));
        }
        else sx = ones_like(mx);
        var z = (x - mx) / sx;
        var gram = z.t().mm(z).add(eye(Features, dtype: ScalarType.Float64) * Hold(Lambda), One);
        var rhs = z.t().mm(y);
        Tensor bs;
        if (Lambda > 0) bs = linalg.solve(gram, rhs);
        else bs = linalg.lstsq(z, y - y.mean([0])).Solution;
        var b = bs / sx.unsqueeze(1);                       // (features, outputs)
        var b0 = y.mean([0]) - mx.unsqueeze(0).mm(b).squeeze(0);
        using (no_grad())
        {
            _linear.weight.copy_(b.t());
            _linear.bias!.copy_(b0);
        }
    }

    /// <inheritdoc />
    public Tensor Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return scope.MoveToOuter(_linear.call(TensorUtil.Flat64(inputs)));
    }

    /// <inheritdoc />
    public Dictionary<string, Tensor> StateDict() =>
        _linear.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    /// <inheritdoc />
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state) => _linear.load_state_dict(state.ToDictionary(kv => kv.Key, kv => kv.Value));

    /// <summary>Disposes the coefficients.</summary>
    public void Dispose() => _linear.Dispose();
}
