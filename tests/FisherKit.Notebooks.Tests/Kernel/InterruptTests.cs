using FisherKit.Notebooks.Execution;
using FisherKit.Notebooks.Kernel;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>Cells compiled for interruption: checks in loops and awaits, lines unchanged, same results.</summary>
[Collection("engine")]
public sealed class InterruptTests : IAsyncLifetime
{
    private readonly ScriptEngine _engine = new();
    private readonly TempFolder _dir = new();

    public Task InitializeAsync() => _engine.StartAsync(new EngineOptions { NotebookDirectory = _dir.Path }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        CellInterrupt.Reset();
        await _engine.DisposeAsync();
        _dir.Dispose();
    }

    private const string Check = "global::FisherKit.Notebooks.Kernel.CellInterrupt.Check();";

    [Fact]
    public void Every_loop_body_starts_with_a_check_and_lines_stay_where_they_were()
    {
        var code = "#!csharp\nusing System.IO;\nint s = 0;\nfor (int i = 0; i < 3; i++) s += i;\nwhile (s > 100) { s--; }\n" +
                   "do s++; while (s < 5);\nforeach (var c in \"ab\")\n    s += c;\nint F() { int k = 0; while (k < 2) k++; return k; }";
        var result = InterruptInstrumentation.Instrument(code);
        var before = code.Split('\n');
        var after = result.Split('\n');
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(before[..2], after[..2]);                                   // directive and using untouched
        Assert.Equal("global::FisherKit.Notebooks.Kernel.CellInterrupt.Enter();int s = 0;", after[2]);
        Assert.Equal($"for (int i = 0; i < 3; i++) {{{Check}s += i;}}", after[3]);
        Assert.Equal($"while (s > 100) {{{Check} s--; }}", after[4]);
        Assert.Equal($"do {{{Check}s++;}} while (s < 5);", after[5]);
        Assert.Equal($"    {{{Check}s += c;}}", after[7]);
        Assert.Contains($"while (k < 2) {{{Check}k++;}}", after[8]);
    }

    [Fact]
    public void Awaited_tasks_go_through_the_interruptible_wait()
    {
        var result = InterruptInstrumentation.Instrument("var t = await Task.FromResult(await Task.FromResult(1));");
        Assert.Equal("global::FisherKit.Notebooks.Kernel.CellInterrupt.Enter();var t = await global::FisherKit.Notebooks.Kernel.CellInterrupt.Await(" +
                     "Task.FromResult(await global::FisherKit.Notebooks.Kernel.CellInterrupt.Await(Task.FromResult(1))));", result);
    }

    [Fact]
    public void Code_without_loops_awaits_or_statements_is_unchanged()
    {
        const string code = "using System.Text;\nrecord P(int X);\nint Twice(int x) => 2 * x;";
        Assert.Equal(code, InterruptInstrumentation.Instrument(code));
    }

    [Fact]
    public async Task Instrumented_cells_compute_what_the_cells_as_written_compute()
    {
        const string code = """
            int total = 0;
            for (int i = 0; i < 10; i++) total += i;
            foreach (var w in new[] { "a", "bb" }) total += w.Length;
            int n = 0; do n++; while (n < 4);
            while (n < 6) { n++; }
            var fromTask = await Task.FromResult(7);
            await Task.Delay(1);
            var fromValueTask = await new ValueTask<int>(8);
            var fromYield = 0; await Task.Yield();
            var configured = await Task.FromResult(9).ConfigureAwait(false);
            async IAsyncEnumerable<int> Numbers() { yield return 1; await Task.Yield(); yield return 2; }
            await foreach (var k in Numbers()) total += k;
            (total, n, fromTask, fromValueTask, configured)
            """;
        var plain = await _engine.ExecuteAsync(code, "plain", new RecordingObserver(), CancellationToken.None);
        var instrumented = await _engine.ExecuteAsync(InterruptInstrumentation.Instrument(code), "instrumented", new RecordingObserver(), CancellationToken.None);
        Assert.Equal(CellStatus.Ok, plain.Status);
        Assert.Equal(CellStatus.Ok, instrumented.Status);
        Assert.Equal("(51, 6, 7, 8, 9)", plain.Value!["text/plain"]);
        Assert.Equal(plain.Value!["text/plain"], instrumented.Value!["text/plain"]);
    }

    [Theory]
    [InlineData("while (true) { }")]
    [InlineData("long k = 0;\nfor (;;) k++;")]
    [InlineData("await Task.Delay(600_000);")]
    [InlineData("void Spin() { while (true) { } }\nSpin();")]
    public async Task A_requested_interrupt_ends_the_cell_with_CellInterruptedException_at_its_line(string code)
    {
        CellInterrupt.Reset();
        var run = Task.Run(() => _engine.ExecuteAsync(InterruptInstrumentation.Instrument(code), "cell 1", new RecordingObserver(), CancellationToken.None));
        await Task.Delay(300);
        Assert.False(run.IsCompleted);
        CellInterrupt.Request();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        CellInterrupt.Reset();
        Assert.Equal(CellStatus.Error, result.Status);
        Assert.Equal(typeof(CellInterruptedException).FullName, result.Error!.Name);
        Assert.NotNull(result.Error.Line);
        // After the interrupt, the state still works.
        var next = await _engine.ExecuteAsync(InterruptInstrumentation.Instrument("1 + 1"), "cell 2", new RecordingObserver(), CancellationToken.None);
        Assert.Equal("2", next.Value!["text/plain"]);
    }
}
