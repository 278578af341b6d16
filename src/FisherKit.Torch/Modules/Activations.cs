using static FisherKit.Torch.torch;

namespace FisherKit.Torch.Modules;

/// <summary>max(x, 0).</summary>
public sealed class ReLU() : Lambda(nameof(ReLU), x => x.relu());

/// <summary>Leaky ReLU.</summary>
public sealed class LeakyReLU(double negative_slope = 0.01) : Lambda(nameof(LeakyReLU), x => nn.functional.leaky_relu(x, negative_slope));

/// <summary>ELU.</summary>
public sealed class ELU(double alpha = 1) : Lambda(nameof(ELU), x => nn.functional.elu(x, alpha));

/// <summary>GELU.</summary>
public sealed class GELU(bool tanh_approximation = false) : Lambda(nameof(GELU), x => nn.functional.gelu(x, tanh_approximation));

/// <summary>SiLU (swish).</summary>
public sealed class SiLU() : Lambda(nameof(SiLU), nn.functional.silu);

/// <summary>Hyperbolic tangent.</summary>
public sealed class Tanh() : Lambda(nameof(Tanh), x => x.tanh());

/// <summary>Logistic sigmoid.</summary>
public sealed class Sigmoid() : Lambda(nameof(Sigmoid), x => x.sigmoid());

/// <summary>Softplus.</summary>
public sealed class Softplus(double beta = 1, double threshold = 20) : Lambda(nameof(Softplus), x => nn.functional.softplus(x, beta, threshold));

/// <summary>Softmax along a dimension.</summary>
public sealed class Softmax(long dim) : Lambda(nameof(Softmax), x => nn.functional.softmax(x, dim));

/// <summary>Log-softmax along a dimension.</summary>
public sealed class LogSoftmax(long dim) : Lambda(nameof(LogSoftmax), x => nn.functional.log_softmax(x, dim));

/// <summary>Returns (a new reference to) its input.</summary>
public sealed class Identity() : Lambda(nameof(Identity), x => x.alias());
