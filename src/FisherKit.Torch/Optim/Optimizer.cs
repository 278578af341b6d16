namespace FisherKit.Torch;

public static partial class torch
{
    /// <summary>Optimisers and learning-rate schedules (torch.optim).</summary>
    public static partial class optim
    {
        /// <summary>
        /// Base of the optimisers: holds the parameters, the learning rate and per-parameter state,
        /// and applies updates in place under no_grad. State tensors are owned by the optimiser.
        /// </summary>
        public abstract class Optimizer : IDisposable
        {
            private readonly List<Dictionary<string, Tensor>> _state;

            /// <summary>Creates the optimiser over <paramref name="parameters"/>.</summary>
            protected Optimizer(IEnumerable<Tensor> parameters, double lr)
            {
                ArgumentNullException.ThrowIfNull(parameters);
                Parameters = parameters.ToList();
                if (Parameters.Count == 0) throw new ArgumentException("The optimiser got an empty parameter list.", nameof(parameters));
                if (!(lr >= 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "The learning rate must be non-negative.");
                foreach (var p in Parameters)
                    if (!p.requires_grad) throw new ArgumentException("Every optimised tensor must require grad.", nameof(parameters));
                InitialLearningRate = lr;
                LearningRate = lr;
                _state = Parameters.Select(_ => new Dictionary<string, Tensor>()).ToList();
            }

            /// <summary>The parameters being optimised.</summary>
            public IReadOnlyList<Tensor> Parameters { get; }

            /// <summary>Current learning rate (schedulers change it).</summary>
            public double LearningRate { get; set; }

            /// <summary>The learning rate the optimiser was created with.</summary>
            public double InitialLearningRate { get; }

            /// <summary>Number of <see cref="step"/> calls so far.</summary>
            public long StepCount { get; private set; }

            /// <summary>Clears the parameters' gradients (sets them to none, as PyTorch 2 does).</summary>
            public void zero_grad()
            {
                foreach (var p in Parameters) p.grad = null;
            }

            /// <summary>Applies one update from the current gradients; parameters without gradient are skipped.</summary>
            public void step()
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                StepCount++;
                for (int i = 0; i < Parameters.Count; i++)
                {
                    var p = Parameters[i];
                    var g = p.grad;
                    if (g is null) continue;
                    Update(p, g, _state[i]);
                }
            }

            /// <summary>One parameter's update; temporaries may be left to the enclosing scope.</summary>
            protected abstract void Update(Tensor parameter, Tensor grad, Dictionary<string, Tensor> state);

            /// <summary>Gets or creates (zero-filled like the parameter) a state tensor that lives as long as the optimiser.</summary>
            protected static Tensor State(Dictionary<string, Tensor> state, string key, Tensor like)
            {
                if (state.TryGetValue(key, out var t)) return t;
                t = zeros_like(like).DetachFromDisposeScope();
                state[key] = t;
                return t;
            }

            /// <summary>Disposes the state tensors.</summary>
            public void Dispose()
            {
                foreach (var s in _state)
                {
                    foreach (var t in s.Values) t.Dispose();
                    s.Clear();
                }
                GC.SuppressFinalize(this);
            }
        }
    }
}
