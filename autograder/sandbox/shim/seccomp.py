"""No new user namespaces for student code: a seccomp filter, installed before it runs.

A user namespace would give student code every capability inside it, and with them the
kernel's namespace code to probe. bubblewrap's --disable-userns needs a user namespace of
its own, which the sandbox avoids as root (the sandbox uid would map to real root), so
the shim refuses the calls itself: unshare and clone with CLONE_NEWUSER get EPERM, clone3
(whose flags the filter cannot read) gets ENOSYS, which makes the C library fall back to
clone. Syscalls of another ABI (32-bit, x32) get EPERM: none is needed, any is a way round.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

CLONE_NEWUSER = 0x10000000
# architecture: (AUDIT_ARCH value, clone, unshare, clone3, first syscall of a foreign ABI or None)
ARCHES = {
    "x86_64": (0xC000003E, 56, 272, 435, 0x40000000),
    "aarch64": (0xC00000B7, 220, 97, 435, None),
}

_LD_W_ABS, _JEQ_K, _JGE_K, _JSET_K, _RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
_NR, _ARCH, _ARG0_LOW = 0, 4, 16


def supported() -> bool:
    return platform.machine() in ARCHES


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def program(machine: str) -> bytes:
    """The filter, as the kernel's struct sock_filter array."""
    arch, clone, unshare, clone3, foreign = ARCHES[machine]
    code = [
        _insn(_LD_W_ABS, _ARCH),
        _insn(_JEQ_K, arch, jt=1),                        # our ABI: go on
        _insn(_RET_K, _ERRNO | errno.EPERM),
        _insn(_LD_W_ABS, _NR),
    ]
    if foreign is not None:
        code += [_insn(_JGE_K, foreign, jf=1), _insn(_RET_K, _ERRNO | errno.EPERM)]
    code += [
        _insn(_JEQ_K, clone3, jf=1),
        _insn(_RET_K, _ERRNO | errno.ENOSYS),
        _insn(_JEQ_K, unshare, jt=1),
        _insn(_JEQ_K, clone, jf=3),                       # neither: allow
        _insn(_LD_W_ABS, _ARG0_LOW),                      # flags, both calls' first argument
        _insn(_JSET_K, CLONE_NEWUSER, jf=1),
        _insn(_RET_K, _ERRNO | errno.EPERM),
        _insn(_RET_K, _ALLOW),
    ]
    return b"".join(code)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def forbid_user_namespaces() -> None:
    """Install the filter for this process and every process it starts; OSError if it fails."""
    code = program(platform.machine())
    buf = ctypes.create_string_buffer(code, len(code))
    prog = _SockFprog(len(code) // 8, ctypes.cast(buf, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    # Needed to install a filter without privileges; it also keeps setuid programs from
    # raising student code's privileges again.
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0 or \
            libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp filter not installed: {errno.errorcode.get(err, err)}")
