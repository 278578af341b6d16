namespace FisherKit.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Parameter initialisation in place (torch.nn.init), under no_grad.</summary>
        public static class init
        {
            /// <summary>fan_in and fan_out of a weight (out, in, k...) as PyTorch computes them.</summary>
            public static (long fan_in, long fan_out) CalculateFans(Tensor weight)
            {
                var s = weight.shape;
                if (s.Length < 2) throw new ArgumentException($"Fan in/out need a weight with at least 2 dimensions, got shape {Tensor.ShapeString(s)}.", nameof(weight));
                long receptive = 1;
                for (int i = 2; i < s.Length; i++) receptive *= s[i];
                return (s[1] * receptive, s[0] * receptive);
            }

            /// <summary>Fills with U(a, b).</summary>
            public static Tensor uniform_(Tensor t, double a = 0, double b = 1, Generator? generator = null)
            {
                using (no_grad())
                    Native.Status.Check(Native.NativeMethods.fk_uniform_(t.Handle, a, b, Generator.HandleOf(generator)), nameof(uniform_));
                return t;
            }

            /// <summary>Fills with N(mean, std²).</summary>
            public static Tensor normal_(Tensor t, double mean = 0, double std = 1, Generator? generator = null)
            {
                using (no_grad())
                    Native.Status.Check(Native.NativeMethods.fk_normal_(t.Handle, mean, std, Generator.HandleOf(generator)), nameof(normal_));
                return t;
            }

            /// <summary>Fills with a constant.</summary>
            public static Tensor constant_(Tensor t, double value)
            {
                using (no_grad()) t.fill_(value);
                return t;
            }

            /// <summary>Fills with zeros.</summary>
            public static Tensor zeros_(Tensor t) => constant_(t, 0);

            /// <summary>Fills with ones.</summary>
            public static Tensor ones_(Tensor t) => constant_(t, 1);

            /// <summary>He uniform: U(−b, b), b = gain·√(3/fan_in), gain = √(2/(1+a²)) (leaky ReLU slope a).</summary>
            public static Tensor kaiming_uniform_(Tensor t, double a = 0, Generator? generator = null)
            {
                var (fanIn, _) = CalculateFans(t);
                var bound = Math.Sqrt(2.0 / (1 + a * a)) * Math.Sqrt(3.0 / fanIn);
                return uniform_(t, -bound, bound, generator);
            }

            /// <summary>He normal: N(0, gain²/fan_in).</summary>
            public static Tensor kaiming_normal_(Tensor t, double a = 0, Generator? generator = null)
            {
                var (fanIn, _) = CalculateFans(t);
                return normal_(t, 0, Math.Sqrt(2.0 / (1 + a * a)) / Math.Sqrt(fanIn), generator);
            }

            /// <summary>Glorot uniform: U(−b, b), b = gain·√(6/(fan_in + fan_out)).</summary>
            public static Tensor xavier_uniform_(Tensor t, double gain = 1, Generator? generator = null)
            {
                var (fanIn, fanOut) = CalculateFans(t);
                var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
                return uniform_(t, -bound, bound, generator);
            }

            /// <summary>Glorot normal: N(0, gain²·2/(fan_in + fan_out)).</summary>
            public static Tensor xavier_normal_(Tensor t, double gain = 1, Generator? generator = null)
            {
                var (fanIn, fanOut) = CalculateFans(t);
                return normal_(t, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
            }

            /// <summary>
            /// PyTorch's default for Linear and Conv layers: weight kaiming_uniform_(a = √5), i.e.
            /// U(−1/√fan_in, 1/√fan_in), and the bias U(−1/√fan_in, 1/√fan_in).
            /// </summary>
            internal static void DefaultLayerInit(Tensor weight, Tensor? bias)
            {
                kaiming_uniform_(weight, Math.Sqrt(5));
                if (bias is null) return;
                var (fanIn, _) = CalculateFans(weight);
                var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
                uniform_(bias, -bound, bound);
            }
        }
    }
}
