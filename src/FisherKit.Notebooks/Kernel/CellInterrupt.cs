using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// Cooperative interruption of the running cell. The kernel compiles every loop body of a cell with
/// a call to <see cref="Check"/> and every <c>await</c> of a task through <see cref="Await(Task)"/>
/// (see <see cref="InterruptInstrumentation"/>), so that a cell stuck in <c>while (true) {}</c> or
/// in a long <c>await</c> stops when the user interrupts it. Long-running code of one's own can pass
/// <see cref="Token"/> to cancellable calls.
/// </summary>
/// <remarks>
/// A request lasts until the interrupted cell has ended; loops of any code compiled in the notebook
/// (also on background tasks the cell started) throw <see cref="CellInterruptedException"/> while
/// it lasts. Code compiled outside the notebook (libraries, native calls) is not instrumented: it
/// stops at the next instrumented point after it returns.
/// </remarks>
public static class CellInterrupt
{
    private static volatile bool _requested;
    private static CancellationTokenSource _source = new();
    private static readonly object Gate = new();
    private static volatile Thread? _codeThread;

    /// <summary>Whether an interrupt was requested and the interrupted cell has not ended yet.</summary>
    public static bool IsRequested => _requested;

    /// <summary>Cancelled when the running cell is interrupted.</summary>
    public static CancellationToken Token
    {
        get
        {
            lock (Gate) return _source.Token;
        }
    }

    /// <summary>Marks that the cell's own code has started, on the current thread (the kernel then
    /// also breaks blocking waits there, such as <c>Thread.Sleep</c>, when interrupted).</summary>
    public static void Enter()
    {
        _codeThread = Thread.CurrentThread;
        Check();
    }

    /// <summary>Whether the running cell's code started on <paramref name="thread"/>.</summary>
    internal static bool StartedOn(Thread thread) => _codeThread == thread;

    /// <summary>Throws <see cref="CellInterruptedException"/> when an interrupt was requested.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check()
    {
        if (_requested) Throw();
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw() => throw new CellInterruptedException();

    /// <summary>The task, or, when it is still running, a task that also ends (with
    /// <see cref="CellInterruptedException"/>) when the cell is interrupted.</summary>
    public static Task Await(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.IsCompleted ? task : Wait(task, Token);
    }

    /// <inheritdoc cref="Await(Task)"/>
    public static Task<T> Await<T>(Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.IsCompleted ? task : Wait(task, Token);
    }

    /// <inheritdoc cref="Await(Task)"/>
    public static ValueTask Await(ValueTask task) => task.IsCompleted ? task : new ValueTask(Wait(task.AsTask(), Token));

    /// <inheritdoc cref="Await(Task)"/>
    public static ValueTask<T> Await<T>(ValueTask<T> task) => task.IsCompleted ? task : new ValueTask<T>(Wait(task.AsTask(), Token));

    /// <summary>Any other awaitable, unchanged (it is not interruptible).</summary>
    public static T Await<T>(T awaitable) => awaitable;

    private static async Task Wait(Task task, CancellationToken token)
    {
        try { await task.WaitAsync(token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (token.IsCancellationRequested && !task.IsCompleted) { throw new CellInterruptedException(); }
    }

    private static async Task<T> Wait<T>(Task<T> task, CancellationToken token)
    {
        try { return await task.WaitAsync(token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (token.IsCancellationRequested && !task.IsCompleted) { throw new CellInterruptedException(); }
    }

    /// <summary>Requests the interruption of the running cell.</summary>
    internal static void Request()
    {
        CancellationTokenSource source;
        lock (Gate)
        {
            _requested = true;
            source = _source;
        }
        source.Cancel();
    }

    /// <summary>Ends a request (the interrupted cell has ended).</summary>
    internal static void Reset()
    {
        lock (Gate)
        {
            _requested = false;
            _codeThread = null;
            // The old source is not disposed: tasks of the interrupted cell may still hold its token.
            if (_source.IsCancellationRequested) _source = new CancellationTokenSource();
        }
    }
}
