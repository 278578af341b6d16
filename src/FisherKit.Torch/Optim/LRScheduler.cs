using FisherKit.Torch.Modules;

namespace FisherKit.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>Learning-rate schedules; call step() once per epoch.</summary>
        public static class lr_scheduler
        {
            /// <summary>lr = base·γ^⌊epoch/step_size⌋.</summary>
            public static StepLR StepLR(Optimizer optimizer, int step_size, double gamma = 0.1) => new(optimizer, step_size, gamma);

            /// <summary>Cosine annealing from the base rate to eta_min over T_max epochs.</summary>
            public static CosineAnnealingLR CosineAnnealingLR(Optimizer optimizer, int T_max, double eta_min = 0) => new(optimizer, T_max, eta_min);
        }
        /// <summary>PyTorch's factory spelling: optim.SGD(parameters, lr, ...).</summary>
        public static SGD SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false) =>
            new(parameters, lr, momentum, dampening, weight_decay, nesterov);

        /// <summary>PyTorch's factory spelling: optim.Adam(parameters, lr, ...).</summary>
        public static Adam Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad);

        /// <summary>PyTorch's factory spelling: optim.AdamW(parameters, lr, ...).</summary>
        public static AdamW AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 1e-2, bool amsgrad = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad);
    }
}
