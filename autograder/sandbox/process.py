"""One sandbox process: spawn it with its pipes (or fork it from the warm pool's template),
configure it, watch its output, kill it, say how it ended."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time

from . import isolation, plotting, pool, uids
from .cgroup import SandboxCgroup
from .limits import Limits
from .output import OutputBuffer
from .wire import protocol
from .wire.caps import Caps
from .wire.transport import Channel, widen_pipe

log = logging.getLogger("autograder.sandbox")


class SandboxProcess:
    def __init__(self, layer: str, limits: Limits, generation: int, output: OutputBuffer, uid: int | None):
        self.layer, self.limits, self.generation, self.uid = layer, limits, generation, uid
        # root/ (ours) holds work/ (the student's, empty) and, for the fallback, lib/.
        self.root = tempfile.mkdtemp(prefix="ag-sandbox-")
        os.chmod(self.root, 0o711)  # the dropped uid may pass through, never list
        self.workdir = os.path.join(self.root, "work")
        os.mkdir(self.workdir, 0o700)
        if uid is not None:
            os.chown(self.workdir, uid, uid)
            # bwrap enters the dir as root without CAP_DAC_OVERRIDE: it needs the x bit.
            os.chmod(self.workdir, 0o711)
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        out_r, out_w = os.pipe()
        for fd in (req_w, resp_w):
            widen_pipe(fd)
        self.cgroup = SandboxCgroup.create(limits.memory_bytes, limits.processes)
        try:
            self.popen = self._forked((req_r, resp_w, out_w)) if pool.enabled() else None
            self.forked = self.popen is not None
            if self.popen is None:
                self.popen = self._spawned((req_r, resp_w, out_w))
        except BaseException:
            for fd in (req_w, resp_r, out_r):
                os.close(fd)
            if self.cgroup is not None:
                self.cgroup.remove()
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        finally:
            for fd in (req_r, resp_w, out_w):
                os.close(fd)
        os.set_blocking(req_w, False)
        self.channel = Channel(resp_r, req_w, limits.max_frame_bytes)
        self.output_thread = output.drain(out_r)

    def _spawned(self, fds: tuple[int, int, int]) -> subprocess.Popen:
        """A fresh process: the wall's command line, an interpreter, the imports."""
        req_r, resp_w, out_w = fds
        cmd = isolation.build_command(self.layer, self.root, self.workdir, (req_r, resp_w),
                                      self.limits.workdir_bytes, self.uid)
        argv = cmd.argv if self.cgroup is None else self.cgroup.command(cmd.argv)
        env = isolation.environment(cmd.workdir_inside, cmd.mplconfig_inside)
        return subprocess.Popen(argv, cwd=self.workdir, env=env, stdin=subprocess.DEVNULL, stdout=out_w, stderr=out_w,
                                pass_fds=(req_r, resp_w), start_new_session=True, close_fds=True)

    def _forked(self, fds: tuple[int, int, int]) -> pool.ForkedProcess | None:
        """A child of the warm pool's template, in its own cgroup before it has its
        configuration (so before anything of the student's); None where there is no pool."""
        try:
            template = pool.template(self.layer)
        except (pool.PoolUnavailable, OSError) as exc:
            isolation.warn_once("no-pool", f"sandbox: no warm pool ({exc}); every sandbox starts its own interpreter")
            return None
        if self.layer == isolation.BUBBLEWRAP:
            workdir, mplconfig = isolation.INSIDE_WORKDIR, plotting.INSIDE_CONFIG
        else:
            workdir, mplconfig = self.workdir, plotting.host_config(self.root, self.uid)
        job = {"mount": self.layer == isolation.BUBBLEWRAP, "workdir": workdir, "mplconfig": mplconfig,
               "workdir_bytes": self.limits.workdir_bytes, "mplconfig_bytes": plotting.CONFIG_BYTES,
               "env": isolation.environment(workdir, mplconfig)}
        try:
            child = template.fork(job, fds, time.monotonic() + self.limits.start_seconds)
        except pool.PoolUnavailable as exc:
            log.warning("sandbox: the warm pool failed (%s); this sandbox starts its own interpreter", exc)
            return None
        if self.cgroup is not None:
            try:
                self.cgroup.enter(child.pid)
            except OSError:
                child.kill()
                child.release()
                raise
        return child

    def config(self) -> protocol.ChildConfig:
        limits, dedicated = self.limits, self.uid is not None
        return protocol.ChildConfig(
            generation=self.generation, uid=self.uid if dedicated else -1,
            cpu_seconds=limits.effective_cpu_seconds(), memory_bytes=limits.memory_bytes,
            file_bytes=limits.file_bytes, open_files=limits.open_files,
            processes=limits.processes if dedicated else 0, preload=self.layer == isolation.FALLBACK,
            block_userns=isolation.can_block_userns(),
            max_frame_bytes=limits.max_frame_bytes, max_array_bytes=limits.max_array_bytes,
            max_values=limits.max_values, max_string_bytes=limits.max_string_bytes,
            max_dict_keys=limits.max_dict_keys)

    def start(self, deadline: float, caps: Caps) -> None:
        """Send the configuration and wait for "ready"; TransportError or ProtocolViolation if not."""
        self.channel.send(protocol.config_to_wire(self.config()), deadline)
        resp = protocol.response_from_wire(self.channel.recv(deadline), caps=caps)
        value = resp.fields.get("value")
        if resp.status is not protocol.Status.OK or type(value) is not str or value != "ready":
            raise protocol.ProtocolViolation(f"the shim answered {resp.status.value} instead of ready")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """Kill the process, its group, and (when it has one) everything running as its uid."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.popen.kill()
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.error("sandbox: process %d did not exit after SIGKILL", self.popen.pid)
        if self.uid is not None and not uids.kill_uid(self.uid):
            log.error("sandbox: processes of uid %d survived SIGKILL", self.uid)
        if self.uid is not None and self.layer == isolation.FALLBACK:
            # Its working folder goes with root/ (close); what it left in /tmp and the
            # like must go too, or a restart (after a loan) or the uid's next submission reads it.
            uids.remove_files_of(self.uid)

    def exit_description(self) -> str:
        """How the process ended, in words a student can act on."""
        try:
            code = self.popen.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "stopped answering (process still running)"
        # bwrap reports a child killed by signal N as exit status 128+N.
        if code < 0 or (self.layer == isolation.BUBBLEWRAP and not self.forked and code > 128):
            signum = -code if code < 0 else code - 128
            name = signal.Signals(signum).name if signum in signal.Signals._value2member_map_ else str(signum)
            hint = {"SIGXCPU": " (CPU time limit)", "SIGSEGV": " (segmentation fault)",
                    "SIGKILL": " (killed: memory limit or out of memory?)"}.get(name, "")
            return f"killed by signal {name}{hint}"
        return f"exited with code {code} (sys.exit/os._exit({code}) or a fatal error)"

    def close(self) -> None:
        self.kill()
        if self.cgroup is not None:
            self.cgroup.remove()
        self.channel.close()
        self.output_thread.join(timeout=2)
        if self.forked:
            self.popen.release()
        shutil.rmtree(self.root, ignore_errors=True)
