# A spare interpreter: Stepwise starts it ahead of the next step, so the step does not wait for Python
# to start. Its step then runs exactly as a cold `python script.py --variables-file vars.json` would.
# Two ways, chosen by Stepwise:
#
# - `python -c <this>` (Windows): it waits on stdin for ONE command, becomes that step, and exits with it.
# - `python -c <this> fork N` (POSIX): a fork server. For each of its N slots in turn it forks, ahead of
#   the command, a waiter that forks the step's process, which waits for its command: a fresh process,
#   forked from an interpreter that has run nothing but Python's own startup, never one that ran a step.
#   Python's startup (site, .pth files: ~35 ms here) is paid once for N steps, and neither Stepwise nor
#   the server forks or spawns anything while a step waits to start. The step's stdout and stderr are the
#   pair of pipes the server was started with for its slot (slot i: fds 3+2i and 4+2i). On this process's
#   stdout the step reports its pid once it has its command ("s <slot> <pid>"), and its waiter its end
#   ("e <slot> <exit code, or -signal> <left>", left saying whether a process it started still runs).
#
# Started with the step's working folder and environment, and no other flags, so site-packages, .pth
# files, PYTHON* variables and warnings filters are set up as in a cold start. Only modules Python itself
# loads at startup are used here: the user's script must find sys.modules as a cold start leaves it.
#
# A command: fields each UTF-8 and ended by a NUL byte (NUL cannot occur in a path, an argument or an
# environment variable, so nothing needs escaping): "<argc> <envc>" (fork server: "<argc> <envc> <slot>"),
# the script path and its arguments (argc fields), then envc name/value pairs: the variables of this one
# step (a cold start gets them in its environment; the spare was started before they were known).


def _take_command(data):
    """(head numbers, fields, rest of data) of the first whole command in data, or None."""
    head, sep, _ = data.partition(b"\0")
    if not sep:
        return None
    numbers = [int(n) for n in head.split(b" ")]
    argc, envc = numbers[0], numbers[1]
    parts = data.split(b"\0", 1 + argc + 2 * envc)
    if len(parts) < 2 + argc + 2 * envc:
        return None
    return numbers, parts[1 : 1 + argc + 2 * envc], parts[-1]


def _commands():
    """The commands as they arrive on stdin; the process ends with stdin (Stepwise threw this spare away,
    handed out its every slot, or exited)."""
    import os

    data = b""
    while True:
        chunk = os.read(0, 65536)
        if not chunk:
            os._exit(0)
        data += chunk
        while True:
            command = _take_command(data)
            if command is None:
                break
            numbers, fields, data = command
            yield numbers, fields


def _one_shot():
    import os

    command = next(_commands())
    # A cold step's stdin is the null device (stdin: 'ignore'); the pipe goes away with it. dup2 on
    # Windows also resets the process's standard input handle, which child processes inherit.
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    # One NUL byte on stdout says "I have the command and am alive": Stepwise takes it off stdout, and
    # starts the step cold instead when it never comes (the spare died) or something came before it.
    os.write(1, b"\0")
    raise _Become(command, False, None, None)


def _fork_server(slots):
    import os
    import sys

    signals = sys.modules["_signal"]
    # Waiters are reaped by the system; the one thing each reports is its step's end.
    signals.signal(signals.SIGCHLD, signals.SIG_IGN)
    libc = _libc()
    # Startup's objects, out of the collector's sight: a step's collections (and the one at its exit)
    # would otherwise touch each of them and copy every page it shares with this server (~5 ms a step).
    # They are what a cold start keeps to its end anyway. `gc` is not loaded in a cold start: forgotten.
    import gc

    gc.freeze()
    del sys.modules["gc"], gc
    # The next slot's step is forked ahead and waits for its command: no fork when a command comes.
    ready = _prepare(0, slots, libc)
    for numbers, fields in _commands():
        slot = numbers[2]
        sent = False
        if ready is not None and ready[0] == slot and ready[1] is not None:
            try:
                os.write(ready[1], b" ".join(b"%d" % n for n in numbers) + b"\0" + b"".join(f + b"\0" for f in fields))
                sent = True
            except OSError:
                pass
            os.close(ready[1])
        if not sent:
            os.write(1, b"e %d fork\n" % slot)
        ready = _prepare(slot + 1, slots, libc) if slot + 1 < slots else None


def _prepare(slot, slots, libc):
    """Forks the waiter of `slot`, which forks its step; returns (slot, the pipe its command goes to)."""
    import os

    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:
        os.close(write)
        _wait_for_step(slot, slots, read, libc)
    os.close(read)
    # The slot's pipes are the step's now: the server lets go of them.
    os.close(3 + 2 * slot)
    os.close(4 + 2 * slot)
    if pid < 0:
        os.close(write)
        write = None
    return slot, write


def _libc():
    """(prctl or None, exit or None) of the C library: prctl makes each waiter the subreaper of its step's
    processes (Linux); exit ends a step as a cold start ends, C atexit handlers and stdio included."""
    import sys

    loaded = set(sys.modules)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        found = (getattr(libc, "prctl", None) if sys.platform.startswith("linux") else None, libc.exit)
    except Exception:
        found = (None, None)
    # What ctypes loaded is forgotten: a step finds sys.modules as a cold start leaves it.
    for name in set(sys.modules) - loaded:
        del sys.modules[name]
    return found


def _wait_for_step(slot, slots, commands, libc):
    import os
    import sys

    signals = sys.modules["_signal"]
    signals.signal(signals.SIGCHLD, signals.SIG_DFL)
    # PR_SET_CHILD_SUBREAPER: a process the step leaves behind, even one that left its session, becomes
    # this waiter's child instead of init's, so the waiter can tell Stepwise whether anything is left.
    # Nothing left (the usual case) spares Stepwise a look through every process of the machine.
    prctl, c_exit = libc
    subreaper = prctl is not None and prctl(36, 1, 0, 0, 0) == 0
    try:
        pid = os.fork()
    except OSError:
        os._exit(0)
    if pid == 0:
        # The step: its own session and process group (as Stepwise starts a cold step); another slot's
        # pipes are let go at once, or that slot's output would not end with its step.
        os.setsid()
        for fd in range(3, 3 + 2 * slots):
            if fd not in (3 + 2 * slot, 4 + 2 * slot, commands):
                os.closerange(fd, fd + 1)
        data = b""
        while True:
            chunk = os.read(commands, 65536)
            if not chunk:
                break
            data += chunk
        command = _take_command(data)
        if command is None:
            # The server went without handing this slot a step.
            os._exit(0)
        numbers, fields = command[0], command[1]
        os.write(1, b"s %d %d\n" % (slot, os.getpid()))
        # Its slot's pipes as stdout and stderr, stdin empty, and no other descriptor of the server's.
        os.dup2(3 + 2 * slot, 1)
        os.dup2(4 + 2 * slot, 2)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.closerange(3, max(null, commands, 4 + 2 * slot) + 1)
        # PYTHONINSPECT asks for a prompt after the script: only Python's own exit gives one.
        finishing = c_exit is not None and not sys.flags.inspect
        raise _Become((numbers, fields), finishing, set(sys.modules), c_exit)
    # The waiter holds nothing of the step's or of another slot's: a pipe ends when its step does.
    os.closerange(3, max(3 + 2 * slots, commands + 1))
    os.close(0)
    try:
        _, status = os.waitpid(pid, 0)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
        # Left: 0 nothing of the step runs any more, 1 something does, 2 unknown (not a subreaper).
        left = 2
        if subreaper:
            try:
                while os.waitpid(-1, os.WNOHANG)[0] != 0:
                    pass
                left = 1
            except ChildProcessError:
                left = 0
        os.write(1, b"e %d %d %d\n" % (slot, code, left))
    except OSError:
        pass
    os._exit(0)


def _finish(code, interrupted, inherited, c_exit):
    """Ends a forked step as Python's own exit would, and quicker (~5 ms a step).

    Python's exit also takes apart every module the server loaded at startup, and touching each of
    their objects copies every memory page the step shares with the server. Here what a script can
    notice of an exit happens as in CPython's Py_FinalizeEx, in its order: non-daemon threads joined,
    atexit callbacks, the standard streams flushed (a replaced sys.stdout let go), the modules taken
    out of sys.modules one by one (a module nothing else holds goes at its turn: its unclosed files are
    flushed, a ZipFile finished, a __del__ run), a collection, the surviving modules of the step
    cleared (names with an underscore first, the last imported first), the streams flushed again, and
    the C library's exit (C atexit handlers, stdio buffers). The server's own modules are only kept
    alive to the end. A stream that cannot be flushed leaves the rest to Python's own exit.
    """
    import sys

    threading = sys.modules.get("threading")
    if threading is not None and hasattr(threading, "_shutdown"):
        threading._shutdown()
    del threading
    # Loaded at startup only where a .pth file asked for it; the callbacks are the interpreter's either
    # way. Python 3.8 and 3.9 raise the last callback's error again after printing it; the exit does not.
    try:
        __import__("atexit")._run_exitfuncs()
    except BaseException:
        pass
    # A thread still running (a daemon) would go on while the modules are taken apart, where Python's
    # own exit stops it: that exit is taken instead, as is one with a stream that cannot be flushed.
    if len(sys._current_frames()) > 1:
        _real_exit(code, interrupted)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        _real_exit(code, interrupted)
    collect = __import__("gc").collect
    # CPython collects once more before it takes the modules apart. Besides running what is already
    # garbage, this puts objects after those that hold them, so that at the exit an unclosed file's
    # text layer is finalised (and flushed) before the raw file under it is closed.
    collect()
    # CPython's "delete special": imports fail from here on, as they do at a cold exit.
    sys.modules["builtins"]._ = None
    for name in ("path", "argv", "ps1", "ps2", "last_type", "last_value", "last_traceback", "path_hooks"):
        setattr(sys, name, None)
    for name in ("path_importer_cache", "meta_path", "__interactivehook__", "last_exc"):
        setattr(sys, name, None)
    for name in ("stdin", "stdout", "stderr"):
        original = getattr(sys, "__%s__" % name, None)
        if getattr(sys, name, None) is not original:
            setattr(sys, name, original)
    weak = sys.modules["_weakref"].ref
    module_type = type(sys)
    kept = []
    mine = []
    modules = sys.modules
    for name in list(modules):
        module = modules[name]
        if isinstance(module, module_type):
            if name in inherited and name != "__main__":
                kept.append(module)
            else:
                mine.append(weak(module))
            modules[name] = None
        del module
    modules.clear()
    del modules
    collect()
    for ref in reversed(mine):
        module = ref()
        if module is None:
            continue
        namespace = module.__dict__
        del module
        for name in [n for n in namespace if n.startswith("_") and n != "__builtins__"]:
            namespace[name] = None
        for name in [n for n in namespace if n != "__builtins__"]:
            namespace[name] = None
        del namespace
    del mine
    collect()
    try:
        sys.__stdout__.flush()
        sys.__stderr__.flush()
    except BaseException:
        pass
    if interrupted:
        # As Python ends after an unhandled KeyboardInterrupt: killed by SIGINT, so the parent knows.
        signals = next(m for m in kept if m.__name__ == "_signal")
        posix = next(m for m in kept if m.__name__ == "posix")
        signals.signal(signals.SIGINT, signals.SIG_DFL)
        posix.kill(posix.getpid(), signals.SIGINT)
        code = 128 + signals.SIGINT
    c_exit(code & 0xFF)


def _real_exit(code, interrupted):
    """Leaves the rest of the exit to Python: back up through the server's frames to the top."""
    import sys

    if interrupted:
        sys.excepthook = lambda *_: None
        raise KeyboardInterrupt
    raise SystemExit(code)


def _exit_code(stop):
    """What Python makes of an uncaught SystemExit: its code, after printing a message that is no number."""
    import sys

    value = stop.code
    if value is None:
        return 0
    if isinstance(value, int):
        # Beyond a C long Python prints an OverflowError of its own: left to Python's exit (None).
        return value if -(2**63) <= value < 2**63 else None
    try:
        sys.stderr.write(str(value))
        sys.stderr.write("\n")
    except BaseException:
        pass
    return 1


def _forget_file(namespace):
    """A script that ran to its end (or whose error was printed) loses __file__ and __cached__ before
    the exit, as a cold start's __main__ does: atexit callbacks and threads cannot see them."""
    namespace.pop("__file__", None)
    namespace.pop("__cached__", None)


def _make_main(command):
    """Sets the process up as a cold start of the step's script would find it; returns the script's path,
    its __file__ and the namespace of the new __main__ it runs in."""
    import os
    import sys

    numbers, raw = command
    argc = numbers[0]
    fields = [os.fsdecode(f) for f in raw]
    script, args = fields[0], fields[1:argc]
    step_env = fields[argc:]

    for i in range(0, len(step_env), 2):
        os.environ[step_env[i]] = step_env[i + 1]

    # Python 3.9+ makes a script's __file__ absolute; sys.argv[0] stays as given.
    main_file = os.path.abspath(script) if sys.version_info >= (3, 9) else script
    sys.argv[:] = [script] + args
    if hasattr(sys, "orig_argv"):
        sys.orig_argv[:] = sys.orig_argv[:1] + [script] + args
    # `-c` put '' first on sys.path where a cold start puts the script's folder (through symlinks on
    # POSIX, as CPython computes it); PYTHONSAFEPATH (3.11+) puts nothing there in either case.
    if not getattr(sys.flags, "safe_path", False):
        if os.name == "nt":
            folder = os.path.dirname(os.path.abspath(script))
        else:
            folder = os.path.dirname(os.path.realpath(script))
        if sys.path and sys.path[0] == "":
            sys.path[0] = folder
        else:
            sys.path.insert(0, folder)

    # Keys in a cold start's order; the loader class a cold start uses, from the module Python always
    # has loaded (importing importlib.machinery would add modules a cold start may not have).
    module = type(sys)("__main__")
    namespace = module.__dict__
    namespace["__loader__"] = sys.modules["_frozen_importlib_external"].SourceFileLoader("__main__", main_file)
    namespace["__annotations__"] = {}
    namespace["__builtins__"] = sys.modules["builtins"]
    namespace["__file__"] = main_file
    namespace["__cached__"] = None
    # The bootstrap's own __main__ must not be reachable (pickle, multiprocessing, inspect look there).
    sys.modules["__main__"] = module
    return script, main_file, namespace


def _report(error, code, namespace):
    """Prints the script's uncaught error as a cold start does: only the user's frames, through whichever
    sys.excepthook is in force (the script may have set its own); returns (exit code, interrupted)."""
    import sys

    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code is not code:
        tb = tb.tb_next
    error.__traceback__ = tb
    # As PyErr_Print: the last error is kept where a debugger or an atexit callback looks for it.
    sys.last_type, sys.last_value, sys.last_traceback = type(error), error, tb
    if sys.version_info >= (3, 12):
        sys.last_exc = error
    sys.excepthook(type(error), error, tb)
    del tb
    _forget_file(namespace)
    return 1, isinstance(error, KeyboardInterrupt)


class _Become(BaseException):
    """Raised in a step's process with its command: it leaves the server's frames behind on its way up,
    so that the script runs one frame below this file's, as near to a cold start's stack as can be."""


def _start():
    import sys

    # The bootstrap's own globals are not the script's __main__: a warning attributed to its frames is
    # filtered as one from a library (a cold start's DeprecationWarning at the top of the stack is not shown).
    globals()["__name__"] = "__stepwise_bootstrap__"

    # Python 3.13+ imports linecache to keep the text of `-c` code; a cold start has not imported it.
    linecache = sys.modules.get("linecache")
    if sys.version_info >= (3, 13) and linecache is not None and len(getattr(linecache, "cache", ())) == 1:
        del sys.modules["linecache"]
    del linecache
    if sys.argv[1:2] == ["fork"]:
        _fork_server(int(sys.argv[2]))
    else:
        _one_shot()


try:
    _start()
except _Become as _raised:
    _command, _finishing, _inherited, _c_exit = _raised.args
# Out of the except block: the script's own errors must not carry the _Become as their context.
_script, _main_file, _namespace = _make_main(_command)
del _command
_code = None
_ending = (0, False)
try:
    with open(_script, "rb") as _file:
        _source = _file.read()
    del _file
    # Bytes, so a coding cookie or a BOM is honoured as in a cold start.
    _code = compile(_source, _main_file, "exec", dont_inherit=True)
    del _source
    exec(_code, _namespace)
except SystemExit as _stop:
    # Prints nothing but its message: the interpreter handles it exactly as for a cold start.
    if not _finishing:
        raise
    _ending = (_exit_code(_stop), False)
    if _ending[0] is None:
        raise
except BaseException as _error:
    _ending = _report(_error, _code, _namespace)
    if not _finishing:
        # The interpreter ends the process as it would have: exit code 1, or death by SIGINT for
        # KeyboardInterrupt, after atexit handlers and flushing; the error is printed already.
        __import__("sys").excepthook = lambda *_: None
        raise
else:
    _forget_file(_namespace)
# Nothing of the script's frames may stay referenced: their objects are finalised at the exit.
del _code, _namespace
if _finishing:
    _finish(_ending[0], _ending[1], _inherited, _c_exit)
