"""Executes a notebook in a Jupyter kernel with nbclient (Debian's python3-nbclient) and, while the kernel
still runs, lists the TCP sockets the kernel process listens on (from /proc).

.NET Interactive picks its HTTP port by probing the range 2048-3000 and binding later, so two kernels that
start at the same moment can pick the same port, and the second dies ("address already in use"). Kernel
starts are therefore taken one at a time, across processes: a lock file is held until the kernel listens on
a port beyond its Jupyter ones (or has died, or a minute has passed).

Usage: run_notebook.py KERNEL_NAME NOTEBOOK_IN NOTEBOOK_OUT REPORT_JSON
The kernel starts in the folder of NOTEBOOK_IN. Exit code 0: every cell ran; 1: a cell failed (the notebook is
written all the same, with the error); the report holds {"listening": [[address, port], ...], "error": ...}.
"""
import fcntl
import json
import os
import socket
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def _address(hex_address):
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(socket.AF_INET6, words)


def listening(pid):
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    found = []
    for table in ("tcp", "tcp6"):
        path = f"/proc/{pid}/net/{table}"
        if not os.path.exists(path):
            continue
        with open(path) as f:
            next(f)
            for line in f:
                parts = line.split()
                local, state, inode = parts[1], parts[3], parts[9]
                if state == "0A" and inode in inodes:
                    address, port = local.rsplit(":", 1)
                    found.append([_address(address), int(port, 16)])
    return found


def jupyter_ports(client):
    info = client.km.get_connection_info()
    return {info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}


def wait_for_http_port(client, seconds=60):
    process = client.km.provisioner.process
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if any(port not in jupyter_ports(client) for _, port in listening(process.pid)):
                return
        except FileNotFoundError:  # the process has just ended
            return
        time.sleep(0.2)


def main():
    kernel, notebook_in, notebook_out, report_path = sys.argv[1:5]
    nb = nbformat.read(notebook_in, as_version=4)
    client = NotebookClient(nb, kernel_name=kernel, timeout=600, startup_timeout=180,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(notebook_in))}})
    report = {"listening": [], "error": None}
    lock = open(os.path.join(tempfile.gettempdir(), "fisherkit-dotnet-interactive-start.lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    with client.setup_kernel():
        try:
            wait_for_http_port(client)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()
        try:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
        except CellExecutionError as e:
            report["error"] = str(e)[-4000:]
        report["listening"] = listening(client.km.provisioner.process.pid)
    nbformat.write(nb, notebook_out)
    with open(report_path, "w") as f:
        json.dump(report, f)
    return 1 if report["error"] else 0


if __name__ == "__main__":
    sys.exit(main())
