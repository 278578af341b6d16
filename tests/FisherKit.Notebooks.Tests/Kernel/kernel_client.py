#!/usr/bin/python3
"""Drives the fisherkit-csharp kernel with Jupyter's own client (Debian's python3-jupyter-client).

Run by KernelClientTests (C#) as a subprocess; usable by hand too:
    JUPYTER_PATH=PREFIX/share/jupyter /usr/bin/python3 kernel_client.py --report out.json --log kernel.log --work DIR
Each check runs against one kernel (restart and shutdown come last) and records ok/detail in the
report; a failed check does not stop the others. Exit code 0 when every check passed.
"""
import argparse
import json
import os
import signal
import sys
import time
import traceback

from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

TIMEOUT = 30


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--report", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--kernel", default="fisherkit-csharp")
    parser.add_argument("--plotly", action="store_true", help="plotly.js is installed: check how figures carry it")
    args = parser.parse_args()
    signal.alarm(260)  # never outlive the C# test's own limit (270 s)

    report = {}
    log = open(args.log, "w")
    km = KernelManager(kernel_name=args.kernel)
    km.start_kernel(stderr=log, cwd=args.work)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        ctx = Context(km, kc, args)
        for name, check in CHECKS:
            started = time.time()
            try:
                detail = check(ctx)
                report[name] = {"ok": True, "detail": detail or "", "seconds": round(time.time() - started, 2)}
            except Exception as e:  # a failed check is recorded, the next one still runs
                report[name] = {"ok": False, "detail": f"{type(e).__name__}: {e}\n{traceback.format_exc()}",
                                "seconds": round(time.time() - started, 2)}
            write(args.report, report)
    finally:
        kc.stop_channels()
        if km.has_kernel and km.is_alive():
            km.shutdown_kernel(now=True)
        km.cleanup_resources()
        log.close()
    write(args.report, report)
    return 0 if all(r["ok"] for r in report.values()) else 1


def write(path, report):
    with open(path + ".tmp", "w") as f:
        json.dump(report, f, indent=1)
    os.replace(path + ".tmp", path)


class Context:
    def __init__(self, km, kc, args):
        self.km, self.kc, self.args = km, kc, args
        self.pending = {}

    def run(self, code, timeout=TIMEOUT, **kw):
        """Executes code; returns (reply content, [(msg_type, content)] of iopub up to idle)."""
        msg_id = self.kc.execute(code, **kw)
        return self.collect(msg_id, timeout)

    def collect(self, msg_id, timeout=TIMEOUT):
        reply = self.reply(msg_id, timeout)
        return reply, self.outputs(msg_id, timeout)

    def reply(self, msg_id, timeout=TIMEOUT):
        deadline = time.time() + timeout
        while True:
            m = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
            if m["parent_header"].get("msg_id") == msg_id:
                return m["content"]

    def outputs(self, msg_id, timeout=TIMEOUT):
        """The iopub messages of one request, up to its idle status (others are kept for their turn)."""
        deadline = time.time() + timeout
        out = []
        while True:
            queue = self.pending.setdefault(msg_id, [])
            while queue:
                t, c = queue.pop(0)
                out.append((t, c))
                if t == "status" and c["execution_state"] == "idle":
                    return out
            m = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            self.pending.setdefault(m["parent_header"].get("msg_id"), []).append((m["msg_type"], m["content"]))

    def value(self, code):
        reply, out = self.run(code)
        expect(reply["status"] == "ok", f"{code!r} failed: {reply}")
        results = [c for t, c in out if t == "execute_result"]
        expect(len(results) == 1, f"{code!r}: expected one execute_result, got {out}")
        return results[0]["data"]["text/plain"]

    def wait_running(self, msg_id):
        """Waits for the execute_input of msg_id (the cell has started); keeps what it reads."""
        deadline = time.time() + TIMEOUT
        while True:
            if any(t == "execute_input" for t, _ in self.pending.get(msg_id, [])):
                return
            m = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            self.pending.setdefault(m["parent_header"].get("msg_id"), []).append((m["msg_type"], m["content"]))


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def kernel_info(ctx):
    msg_id = ctx.kc.kernel_info()
    info = ctx.reply(msg_id)
    expect(info["protocol_version"] == "5.3", info)
    expect(info["language_info"]["name"] == "C#", info)
    expect(info["implementation"] == "fisherkit", info)
    return f"{info['implementation']} {info['implementation_version']}, {info['language_info']['name']} {info['language_info']['version']}"


def heartbeat(ctx):
    deadline = time.time() + 10
    while not ctx.kc.hb_channel.is_beating():
        expect(time.time() < deadline, "no heartbeat")
        time.sleep(0.2)
    return "beating"


def state_and_counts(ctx):
    first, out = ctx.run("var numbers = new List<int> { 1, 2, 3 };")
    expect(first["status"] == "ok", first)
    # The first cell of a kernel that started normally shows nothing but its own output (no crash notice).
    expect([t for t, _ in out] == ["status", "execute_input", "status"], out)
    reply, out = ctx.run("numbers.Sum()")
    expect(reply["status"] == "ok", reply)
    expect(reply["execution_count"] == first["execution_count"] + 1, f"counts {first['execution_count']} then {reply['execution_count']}")
    kinds = [t for t, _ in out]
    expect(kinds == ["status", "execute_input", "execute_result", "status"], kinds)
    inputs = [c for t, c in out if t == "execute_input"]
    results = [c for t, c in out if t == "execute_result"]
    expect(inputs[0]["execution_count"] == reply["execution_count"] == results[0]["execution_count"], out)
    expect(results[0]["data"]["text/plain"] == "6", results)
    silent, out = ctx.run("numbers.Count", silent=True)
    expect(silent["execution_count"] == reply["execution_count"], "a silent request changed the count")
    expect([t for t, _ in out] == ["status", "status"], f"a silent request published {out}")
    return f"counts {first['execution_count']}, {reply['execution_count']}; numbers.Sum() = 6"


def streams_and_displays(ctx):
    reply, out = ctx.run('Console.WriteLine("line 1"); Console.Error.WriteLine("oops"); var h = display("first"); h.Update("second");')
    expect(reply["status"] == "ok", reply)
    streams = [(c["name"], c["text"]) for t, c in out if t == "stream"]
    expect(streams == [("stdout", "line 1\n"), ("stderr", "oops\n")], streams)
    shown = [c for t, c in out if t == "display_data"]
    updated = [c for t, c in out if t == "update_display_data"]
    expect(len(shown) == 1 and len(updated) == 1, out)
    display_id = shown[0]["transient"]["display_id"]
    expect(display_id and updated[0]["transient"]["display_id"] == display_id, out)
    expect(shown[0]["data"]["text/plain"] == "first" and updated[0]["data"]["text/plain"] == "second", out)
    return f"display id {display_id}"


def errors_and_stop_on_error(ctx):
    a = ctx.kc.execute('throw new InvalidOperationException("boom");')
    b = ctx.kc.execute("var afterError = 1;")
    ra, out = ctx.collect(a)
    expect(ra["status"] == "error" and ra["ename"] == "System.InvalidOperationException" and "boom" in ra["evalue"], ra)
    errors = [c for t, c in out if t == "error"]
    expect(len(errors) == 1 and errors[0]["ename"] == ra["ename"] and errors[0]["traceback"], out)
    rb, _ = ctx.collect(b)
    expect(rb["status"] == "aborted", f"queued request after an error: {rb}")
    rc, _ = ctx.run("afterError")
    expect(rc["status"] == "error" and "CS0103" in rc["evalue"], f"the aborted cell ran: {rc}")
    a = ctx.kc.execute('throw new InvalidOperationException("again");', stop_on_error=False)
    b = ctx.kc.execute("var ranAnyway = 2;")
    ctx.collect(a)
    rb, _ = ctx.collect(b)
    expect(rb["status"] == "ok", f"stop_on_error=False still aborted: {rb}")
    return "error published and replied; queued request aborted; not aborted with stop_on_error=False"


def complete(ctx):
    def matches(code, cursor=None):
        msg_id = ctx.kc.complete(code, len(code) if cursor is None else cursor)
        r = ctx.reply(msg_id)
        expect(r["status"] == "ok", r)
        return r
    r = matches("numbers.Ad")
    expect("Add" in r["matches"] and "AddRange" in r["matches"], r["matches"][:20])
    expect(r["cursor_start"] == len("numbers.") and r["cursor_end"] == len("numbers.Ad"), r)
    types = {t["text"]: t["type"] for t in r["metadata"]["_jupyter_types_experimental"]}
    expect(types.get("Add") == "method", types)
    r = matches("Conso")
    expect("Console" in r["matches"] and r["cursor_start"] == 0, r["matches"][:20])
    r = matches("#!csharp\nnumbers.Cou")
    expect("Count" in r["matches"], r["matches"][:20])
    code = "// \U0001F600 π\nnumbers.Cou"   # a character outside the BMP: cursor positions count code points
    r = matches(code)
    expect("Count" in r["matches"] and r["cursor_start"] == len("// \U0001F600 π\nnumbers."), r)
    r = matches("System.Collections.Generic.")
    expect("Dictionary" in r["matches"], r["matches"][:20])
    return f"numbers.Ad -> {[m for m in matches('numbers.Ad')['matches']][:5]}"


def inspect(ctx):
    def info(code, cursor=None, detail=0):
        msg_id = ctx.kc.inspect(code, len(code) if cursor is None else cursor, detail)
        r = ctx.reply(msg_id)
        expect(r["status"] == "ok", r)
        return r
    r = info("Math.Sqrt(2)", cursor=7)
    expect(r["found"], r)
    text = r["data"]["text/plain"]
    expect("Math.Sqrt(double d)" in text and "square root" in text, text)
    r = info("numbers")
    expect(r["found"] and "List<int> numbers" in r["data"]["text/plain"] and "Value: [1, 2, 3]" in r["data"]["text/plain"], r)
    r = info("   ", cursor=1)
    expect(not r["found"], r)
    return text.splitlines()[0]


def is_complete(ctx):
    def status(code):
        return ctx.reply(ctx.kc.is_complete(code))
    r = status("for (int i = 0; i < 3; i++) {")
    expect(r["status"] == "incomplete" and r.get("indent") == "    ", r)
    expect(status("var done = 1;")["status"] == "complete", "a statement is complete")
    expect(status("var x = (1 + ;")["status"] in ("invalid", "incomplete"), "broken code")
    return "ok"


def figures(ctx):
    if not ctx.args.plotly:
        return "skipped: plotly.js is not installed (environment/setup.d/30-web.sh)"
    def html(code):
        reply, out = ctx.run(code)
        expect(reply["status"] == "ok", reply)
        data = [c for t, c in out if t == "execute_result"][0]["data"]
        expect(isinstance(data.get("application/vnd.plotly.v1+json"), dict), f"no plotly JSON in {list(data)}")
        return data["text/html"]
    first = "using FisherKit.Plotting;\nChart.Line(new[] { 0.0, 1 }, new[] { 1.0, 2 })"
    a = html(first)
    b = html("Chart.Line(new[] { 0.0, 1 }, new[] { 2.0, 1 })")
    expect("plotly.js v" in a and "plotly.js v" not in b, "plotly.js must be inlined in the first figure only")
    c = html(first)  # the cell that carried plotly.js runs again: its old output is replaced, so it carries it again
    d = html("Chart.Line(new[] { 0.0, 1 }, new[] { 3.0, 1 })")
    expect("plotly.js v" in c and "plotly.js v" not in d, "plotly.js must come back with the re-run first figure only")
    return f"first figure {len(a)} characters of HTML, later ones {len(b)}"


def interrupted(ctx, setup, code, check_after):
    if setup:
        r, _ = ctx.run(setup)
        expect(r["status"] == "ok", r)
    msg_id = ctx.kc.execute(code)
    ctx.wait_running(msg_id)
    time.sleep(1.0)
    started = time.time()
    ctx.km.interrupt_kernel()
    reply = ctx.reply(msg_id, timeout=15)
    took = time.time() - started
    expect(reply["status"] == "error" and "CellInterruptedException" in reply["ename"], reply)
    expect(ctx.km.is_alive(), "the kernel died")
    value = ctx.value(check_after[0])
    expect(value == check_after[1], f"{check_after[0]} = {value}")
    return f"stopped {took:.2f} s after the interrupt; {reply['evalue']}"


def interrupt_tight_loop(ctx):
    return interrupted(ctx, "var beforeLoop = 7;", "while (true) { }", ("beforeLoop + 1", "8"))


def interrupt_sleep(ctx):
    return interrupted(ctx, None, "var slept = 1; System.Threading.Thread.Sleep(600_000); slept = 2;", ("slept", "1"))


def interrupt_await(ctx):
    return interrupted(ctx, None, "await Task.Delay(600_000);", ("40 + 2", "42"))


def interrupt_loop_in_a_method(ctx):
    return interrupted(ctx, "void Spin() { long k = 0; while (true) { k++; } }", "Spin();", ("\"still here\"", "still here"))


def bad_signature(ctx):
    marker = os.path.join(ctx.args.work, "forged.txt")
    code = f'System.IO.File.WriteAllText(@"{marker}", "forged");'
    forger = Session(key=b"not-the-key", username=ctx.kc.session.username)
    forged = forger.msg("execute_request", content={"code": code, "silent": False, "store_history": True,
                                                     "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    forger.send(ctx.kc.shell_channel.socket, forged)
    # A correctly signed message sent twice: the copy is a replay and must be dropped too.
    echo = ctx.kc.session.msg("execute_request", content={"code": "var echoes = 1;", "silent": False, "store_history": True,
                                                          "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    frames = ctx.kc.session.serialize(echo)
    ctx.kc.shell_channel.socket.send_multipart(frames)
    ctx.kc.shell_channel.socket.send_multipart(frames)
    first = ctx.reply(echo["header"]["msg_id"])
    expect(first["status"] == "ok", first)
    deadline = time.time() + 3
    seen = []
    while time.time() < deadline:
        try:
            m = ctx.kc.get_shell_msg(timeout=0.2)
            seen.append(m["parent_header"].get("msg_id"))
        except Exception:
            pass
    expect(forged["header"]["msg_id"] not in seen, "the forged request was answered")
    expect(echo["header"]["msg_id"] not in seen, "the replayed request was answered twice")
    expect(not os.path.exists(marker), "the forged request ran")
    time.sleep(0.2)  # the kernel logs what it dropped
    with open(ctx.args.log) as f:
        log = f.read()
    expect("bad signature" in log and "duplicate signature" in log, log[-2000:])
    expect(ctx.value("1 + 1") == "2", "kernel still answers")
    return "forged and replayed requests dropped and logged"


def input_request(ctx):
    msg_id = ctx.kc.execute('Console.Write("name? "); var name = Console.ReadLine(); $"hello {name}"', allow_stdin=True)
    m = ctx.kc.get_stdin_msg(timeout=TIMEOUT)
    expect(m["msg_type"] == "input_request" and m["parent_header"]["msg_id"] == msg_id, m)
    ctx.kc.input("Ada")
    reply, out = ctx.collect(msg_id)
    expect(reply["status"] == "ok", reply)
    streams = [c["text"] for t, c in out if t == "stream"]
    results = [c["data"]["text/plain"] for t, c in out if t == "execute_result"]
    expect(streams and streams[0].startswith("name? ") and results == ["hello Ada"], out)
    reply, _ = ctx.run("Console.ReadLine()", allow_stdin=False)
    expect(reply["status"] == "error" and "allow_stdin" in reply["evalue"], reply)
    # An interrupt while the kernel waits for input ends the cell too.
    msg_id = ctx.kc.execute("var never = Console.ReadLine();", allow_stdin=True)
    ctx.kc.get_stdin_msg(timeout=TIMEOUT)
    ctx.km.interrupt_kernel()
    reply = ctx.reply(msg_id, timeout=15)
    expect(reply["status"] == "error" and "CellInterruptedException" in reply["ename"], reply)
    return "input_request answered with 'Ada'; refused without allow_stdin; interruptible"


def restart(ctx):
    pid = ctx.km.provisioner.process.pid
    ctx.km.restart_kernel(now=False)
    ctx.kc.wait_for_ready(timeout=120)
    expect(ctx.km.provisioner.process.pid != pid, "same process after restart")
    reply, out = ctx.run("numbers")
    expect(reply["status"] == "error" and "CS0103" in reply["evalue"], f"state survived a restart: {reply}")
    # After a normal restart the first cell shows nothing extra (no crash notice).
    expect([t for t, _ in out] == ["status", "execute_input", "error", "status"], out)
    expect(ctx.value("1 + 1") == "2", "restarted kernel answers")
    return f"new process {ctx.km.provisioner.process.pid}, fresh state"


def stderr_files(ctx):
    """The kernel's native stderr files next to the connection file (CONNECTION.fisherkit-stderr.PID)."""
    folder = os.path.dirname(ctx.km.connection_file)
    prefix = os.path.splitext(os.path.basename(ctx.km.connection_file))[0] + ".fisherkit-stderr."
    return sorted(f for f in os.listdir(folder) if f.startswith(prefix))


# Native code that writes to file descriptor 2 and aborts, as libtorch does (TorchSharp 0.107 ends the
# process this way for a.matmul(b) with mismatched shapes), without TorchSharp: libc's write and abort.
NATIVE = """using System.Runtime.InteropServices;
static class Native
{
    [DllImport("libc", EntryPoint = "write")] private static extern nint Write(int fd, byte[] bytes, nint count);
    [DllImport("libc", EntryPoint = "abort")] public static extern void Abort();
    public static void Err(string text) { var b = System.Text.Encoding.UTF8.GetBytes(text); Write(2, b, b.Length); }
}"""
WHAT = "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"
LIBTORCH = ("terminate called after throwing an instance of 'c10::Error'\n  what():  " + WHAT + "\n"
            "Exception raised from meta at /pytorch/aten/src/ATen/native/LinearAlgebra.cpp:192 (most recent call first):\n"
            + "".join(f"frame #{i}: at::native::f{i}(at::Tensor const&) + 0x{i:x} (0x7f0000{i:04x} in /usr/lib/libtorch_cpu.so)\n" for i in range(60)))
HEADLINE = ("The kernel process ended in native code while running a cell "
            "(this kernel is a fresh process; variables are gone): " + WHAT)


def native_stderr(ctx):
    reply, _ = ctx.run(NATIVE)
    expect(reply["status"] == "ok", reply)
    reply, out = ctx.run('Native.Err("native line 1\\nnative line 2\\n"); Console.Error.WriteLine("managed-stderr-line"); Console.WriteLine("out");')
    expect(reply["status"] == "ok", reply)
    streams = [(c["name"], c["text"]) for t, c in out if t == "stream"]
    stderr = "".join(text for name, text in streams if name == "stderr")
    stdout = "".join(text for name, text in streams if name == "stdout")
    expect("native line 1\nnative line 2\n" in stderr and "managed-stderr-line\n" in stderr and stdout == "out\n", streams)
    reply, out = ctx.run("1 + 2")
    expect([t for t, _ in out] == ["status", "execute_input", "execute_result", "status"], f"the next cell got more: {out}")
    time.sleep(0.3)
    with open(ctx.args.log) as f:
        log = f.read()
    expect("native line 2" in log, "native stderr was not copied to the kernel's log: " + log[-2000:])
    expect("managed-stderr-line" not in log, "managed Console.Error of a cell went to the log")
    expect(len(stderr_files(ctx)) == 1, stderr_files(ctx))
    return f"native stderr reached the cell: {stderr!r}"


def native_crash(ctx):
    reply, _ = ctx.run(NATIVE + "\nvar beforeCrash = 41;")
    expect(reply["status"] == "ok", reply)
    pid = ctx.km.provisioner.process.pid
    ctx.kc.execute(f"Native.Err({json.dumps(LIBTORCH)});\nNative.Abort();")
    deadline = time.time() + TIMEOUT
    while ctx.km.is_alive():
        expect(time.time() < deadline, "the kernel did not end")
        time.sleep(0.1)
    code = ctx.km.provisioner.process.returncode
    expect(code == -signal.SIGABRT, f"exit {code}, expected SIGABRT")
    # What Jupyter's restarter does when the kernel died: restart it now, with the same connection file.
    ctx.km.restart_kernel(now=True)
    ctx.kc.wait_for_ready(timeout=120)
    expect(ctx.km.provisioner.process.pid != pid, "same process after the crash")
    reply, out = ctx.run("beforeCrash")
    expect(reply["status"] == "error" and "CS0103" in reply["evalue"], f"state survived the crash: {reply}")
    kinds = [t for t, _ in out]
    expect(kinds == ["status", "execute_input", "stream", "error", "status"], out)
    notice = [c for t, c in out if t == "stream"][0]
    expect(notice["name"] == "stderr" and notice["text"].startswith(HEADLINE + "\n"), notice)
    expect("what():  " + WHAT in notice["text"] and "frame #0:" in notice["text"], notice["text"])
    # Only the first cell carries it.
    reply, out = ctx.run("1 + 1")
    expect([t for t, _ in out] == ["status", "execute_input", "execute_result", "status"], f"the next cell got more: {out}")
    with open(ctx.args.log) as f:
        log = f.read()
    expect(HEADLINE in log, "the crash was not reported in the kernel's log: " + log[-3000:])
    files = stderr_files(ctx)
    expect(files == [os.path.basename(ctx.km.connection_file)[:-5] + f".fisherkit-stderr.{ctx.km.provisioner.process.pid}"],
           f"the ended process's file is left, or the new one is missing: {files}")
    return notice["text"].split("\n")[0]


def exit_in_cell(ctx):
    reply, _ = ctx.run("var beforeExit = 1;")
    expect(reply["status"] == "ok", reply)
    ctx.kc.execute("Environment.Exit(3);")
    deadline = time.time() + TIMEOUT
    while ctx.km.is_alive():
        expect(time.time() < deadline, "the kernel did not end")
        time.sleep(0.1)
    code = ctx.km.provisioner.process.returncode
    expect(code == 3, f"exit {code}, expected 3")
    ctx.km.restart_kernel(now=True)
    ctx.kc.wait_for_ready(timeout=120)
    reply, out = ctx.run("1 + 1")
    notices = [c["text"] for t, c in out if t == "stream" and c["name"] == "stderr"]
    expect(len(notices) == 1 and "Environment.Exit(3)" in notices[0] and "variables are gone" in notices[0], f"no notice of the exit: {out}")
    expect("native code" not in notices[0], notices[0])
    return notices[0].split("\n")[0]


def shutdown(ctx):
    process = ctx.km.provisioner.process
    msg_id = ctx.kc.shutdown()
    deadline = time.time() + TIMEOUT
    while True:
        m = ctx.kc.get_control_msg(timeout=max(0.1, deadline - time.time()))
        if m["parent_header"].get("msg_id") == msg_id:
            break
    expect(m["msg_type"] == "shutdown_reply" and m["content"]["status"] == "ok", m)
    started = time.time()
    code = process.wait(timeout=10)
    expect(code == 0, f"exit code {code}")
    expect(stderr_files(ctx) == [], f"native stderr files left after shutdown: {stderr_files(ctx)}")
    return f"exited with 0, {time.time() - started:.2f} s after the reply"


CHECKS = [
    ("kernel_info", kernel_info),
    ("heartbeat", heartbeat),
    ("state_and_counts", state_and_counts),
    ("streams_and_displays", streams_and_displays),
    ("errors_and_stop_on_error", errors_and_stop_on_error),
    ("complete", complete),
    ("inspect", inspect),
    ("is_complete", is_complete),
    ("figures", figures),
    ("interrupt_tight_loop", interrupt_tight_loop),
    ("interrupt_sleep", interrupt_sleep),
    ("interrupt_await", interrupt_await),
    ("interrupt_loop_in_a_method", interrupt_loop_in_a_method),
    ("bad_signature", bad_signature),
    ("input_request", input_request),
    ("native_stderr", native_stderr),
    ("restart", restart),
    ("native_crash", native_crash),
    ("exit_in_cell", exit_in_cell),
    ("shutdown", shutdown),
]

if __name__ == "__main__":
    sys.exit(main())
