#!/usr/bin/env python3
"""Marks one symbol-version requirement of an ELF shared library as weak (VER_FLG_WEAK).

Usage: weaken_version_need.py LIBRARY VERSION   (e.g. libLibTorchSharp.so GLIBCXX_3.4.32)

The dynamic loader refuses to load a library that needs a version its dependency lacks, unless the
requirement is weak; then the symbols bound to that version may come from any library that
defines them without a version. Exit status: 0 changed, 3 already weak, 1 error (message on stderr).
The file is rewritten through a temporary copy and a rename.
"""
import os
import struct
import sys

VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE


def fail(message):
    print(f"weaken_version_need: {message}", file=sys.stderr)
    sys.exit(1)


def main(path, version):
    data = bytearray(open(path, "rb").read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        fail(f"{path} is not a 64-bit little-endian ELF file")
    e_shoff, = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize) for i in range(e_shnum)]
    verneed = [s for s in sections if s[1] == SHT_GNU_VERNEED]
    if not verneed:
        fail(f"{path} has no .gnu.version_r section")
    _, _, _, _, offset, _, link, info, _, _ = verneed[0]
    strtab = sections[link][4]

    def name_at(index):
        end = data.index(b"\0", strtab + index)
        return data[strtab + index:end].decode()

    need = offset
    for _ in range(info):
        _, count, _, aux, next_need = struct.unpack_from("<HHIII", data, need)
        entry = need + aux
        for _ in range(count):
            _, flags, _, name, next_aux = struct.unpack_from("<IHHII", data, entry)
            if name_at(name) == version:
                if flags & VER_FLG_WEAK:
                    return 3
                struct.pack_into("<H", data, entry + 4, flags | VER_FLG_WEAK)
                tmp = f"{path}.weaken.tmp"
                with open(tmp, "wb") as f:
                    f.write(data)
                os.chmod(tmp, os.stat(path).st_mode)
                os.replace(tmp, path)
                return 0
            entry += next_aux
        need += next_need
    fail(f"{path} does not require version {version}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        fail("usage: weaken_version_need.py LIBRARY VERSION")
    sys.exit(main(sys.argv[1], sys.argv[2]))
