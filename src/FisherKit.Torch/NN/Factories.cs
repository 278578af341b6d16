using FisherKit.Torch.Modules;

namespace FisherKit.Torch;

public static partial class torch
{
    /// <summary>Neural-network building blocks (torch.nn): factories returning FisherKit.Torch.Modules types.</summary>
    public static partial class nn
    {
#pragma warning disable CS1591 // each factory is documented on the type it creates
        public static Linear Linear(long in_features, long out_features, bool hasBias = true, Device? device = null, ScalarType? dtype = null) => new(in_features, out_features, hasBias, device, dtype);
        public static Conv1d Conv1d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true, Device? device = null, ScalarType? dtype = null) =>
            new(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, hasBias, device, dtype);
        public static Conv2d Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true, Device? device = null, ScalarType? dtype = null) =>
            new(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, hasBias, device, dtype);
        public static ConvTranspose2d ConvTranspose2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0, long groups = 1, bool hasBias = true, long dilation = 1, Device? device = null, ScalarType? dtype = null) =>
            new(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, hasBias, dilation, device, dtype);
        public static BatchNorm1d BatchNorm1d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true, Device? device = null, ScalarType? dtype = null) =>
            new(num_features, eps, momentum, affine, track_running_stats, device, dtype);
        public static BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true, Device? device = null, ScalarType? dtype = null) =>
            new(num_features, eps, momentum, affine, track_running_stats, device, dtype);
        public static LayerNorm LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null) => new(normalized_shape, eps, elementwise_affine, device, dtype);
        public static GroupNorm GroupNorm(long num_groups, long num_channels, double eps = 1e-5, bool affine = true, Device? device = null, ScalarType? dtype = null) => new(num_groups, num_channels, eps, affine, device, dtype);
        public static Dropout Dropout(double p = 0.5) => new(p);
        public static Dropout2d Dropout2d(double p = 0.5) => new(p);
        public static MaxPool1d MaxPool1d(long kernel_size, long? stride = null, long padding = 0) => new(kernel_size, stride, padding);
        public static MaxPool2d MaxPool2d(long kernel_size, long? stride = null, long padding = 0) => new(kernel_size, stride, padding);
        public static AvgPool2d AvgPool2d(long kernel_size, long? stride = null, long padding = 0) => new(kernel_size, stride, padding);
        public static AdaptiveAvgPool2d AdaptiveAvgPool2d(params long[] output_size) => new(output_size);
        public static Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);
        public static Unflatten Unflatten(long dim, long[] sizes) => new(dim, sizes);
        public static Upsample Upsample(double scale_factor, InterpolationMode mode = InterpolationMode.Nearest, bool align_corners = false) => new(scale_factor, mode, align_corners);
        public static ReLU ReLU() => new();
        public static LeakyReLU LeakyReLU(double negative_slope = 0.01) => new(negative_slope);
        public static ELU ELU(double alpha = 1) => new(alpha);
        public static GELU GELU(bool tanh_approximation = false) => new(tanh_approximation);
        public static SiLU SiLU() => new();
        public static Tanh Tanh() => new();
        public static Sigmoid Sigmoid() => new();
        public static Softplus Softplus(double beta = 1, double threshold = 20) => new(beta, threshold);
        public static Softmax Softmax(long dim) => new(dim);
        public static LogSoftmax LogSoftmax(long dim) => new(dim);
        public static Identity Identity() => new();
        public static Sequential Sequential(params Module<Tensor, Tensor>[] layers) => new(layers);
        public static Sequential Sequential(params (string name, Module<Tensor, Tensor> module)[] layers) => new(layers);
        public static ModuleList ModuleList(params Module[] modules) => new(modules);
#pragma warning restore CS1591
    }
}
