using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.Models;

/// <summary>
/// Small autoencoders for novelty detection on multichannel sequences (a log spectrogram of a vibration
/// window, a window of sensor readings). Every one maps (N, C·T) to (N, C·T), the input laid out
/// channel-major ([channel][time step]), so all train with <c>SquaredErrorLoss</c> on <c>TensorBatches(x, x)</c>
/// through the one training loop, and the reconstruction error ‖x − f(x)‖² is the novelty score.
/// </summary>
public static class Autoencoders
{
    /// <summary>Dense: C·T → hidden → code → hidden → C·T with tanh between the layers.</summary>
    public static Sequential Dense(int channels, int steps, int hidden = 32, int code = 8)
    {
        Check(channels, steps, hidden, code);
        int d = channels * steps;
        return nn.Sequential(nn.Linear(d, hidden), nn.Tanh(), nn.Linear(hidden, code), nn.Tanh(), nn.Linear(code, hidden), nn.Tanh(), nn.Linear(hidden, d));
    }

    /// <summary>
    /// 1-D convolutional over time: (C, T) → conv 3 (hidden channels, ReLU) → conv 3 with stride 2 (code
    /// channels, T/2 steps: the bottleneck) → transposed conv 4, stride 2 (hidden, T steps, ReLU) → conv 3 (C).
    /// <paramref name="steps"/> must be even.
    /// </summary>
    public static Sequential Convolutional(int channels, int steps, int hidden = 16, int code = 4)
    {
        Check(channels, steps, hidden, code);
        if (steps % 2 != 0) throw new ArgumentException($"The convolutional autoencoder halves the time steps; {steps} is odd.", nameof(steps));
        return nn.Sequential(
            nn.Unflatten(1, [channels, steps]),
            nn.Conv1d(channels, hidden, 3, padding: 1), nn.ReLU(),
            nn.Conv1d(hidden, code, 3, stride: 2, padding: 1), nn.ReLU(),
            nn.ConvTranspose1d(code, hidden, 4, stride: 2, padding: 1), nn.ReLU(),
            nn.Conv1d(hidden, channels, 3, padding: 1),
            nn.Flatten());
    }

    /// <summary>Recurrent (GRU) sequence-to-sequence autoencoder; see <see cref="GruAutoencoder"/>.</summary>
    public static GruAutoencoder Recurrent(int channels, int steps, int hidden = 16, int code = 8)
    {
        Check(channels, steps, hidden, code);
        return new GruAutoencoder(channels, steps, hidden, code);
    }

    private static void Check(int channels, int steps, int hidden, int code)
    {
        if (channels < 1 || steps < 1) throw new ArgumentException($"Channels ({channels}) and time steps ({steps}) must be positive.", nameof(channels));
        if (hidden < 1 || code < 1) throw new ArgumentException($"Hidden size ({hidden}) and code size ({code}) must be positive.", nameof(hidden));
    }
}

/// <summary>
/// GRU autoencoder: the (N, C·T) input is read as T steps of C values; an encoder GRU (hidden H) reads them,
/// its last state goes through tanh(Linear(H → code)); the code, repeated at every step, feeds a decoder GRU
/// (hidden H) whose states a linear layer maps back to C values per step.
/// </summary>
public sealed class GruAutoencoder : nn.Module<Tensor, Tensor>
{
    private readonly int _channels, _steps;
    private readonly GRU encoder, decoder;
    private readonly Linear toCode, toOutput;

    /// <summary>Creates the layers (use <see cref="Autoencoders.Recurrent"/>).</summary>
    public GruAutoencoder(int channels, int steps, int hidden, int code) : base(nameof(GruAutoencoder))
    {
        _channels = channels;
        _steps = steps;
        encoder = nn.GRU(channels, hidden, batchFirst: true);
        toCode = nn.Linear(hidden, code);
        decoder = nn.GRU(code, hidden, batchFirst: true);
        toOutput = nn.Linear(hidden, channels);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (input.ndim != 2 || input.shape[1] != _channels * _steps)
            throw new ArgumentException($"{nameof(GruAutoencoder)} expects (N, {_channels * _steps}), got ({string.Join(", ", input.shape)}).", nameof(input));
        using var scope = NewDisposeScope();
        var n = input.shape[0];
        var seq = input.view(n, _channels, _steps).permute(0, 2, 1);          // (N, T, C)
        var (_, last) = encoder.call(seq, null);                               // (1, N, H)
        var code = tanh(toCode.call(last[0]));                                 // (N, code)
        var repeated = code.unsqueeze(1).expand(n, _steps, code.shape[1]);
        var (states, _) = decoder.call(repeated, null);                        // (N, T, H)
        var output = toOutput.call(states).permute(0, 2, 1).reshape(n, _channels * _steps);
        return output.MoveToOuterDisposeScope();
    }
}
