# A spare interpreter: Stepwise starts it ahead of the next step, so the step does not wait for Python
# to start. It waits on stdin for ONE command, then runs that script exactly as a cold
# `python script.py --variables-file vars.json` would, and exits with it. Never reused.
#
# Started as `python -c <this file's text>` with the step's working folder and environment, and no other
# flags, so site-packages, .pth files, PYTHON* variables and warnings filters are set up as in a cold
# start. Only modules Python itself loads at startup are used here: the user's script must find
# sys.modules as a cold start leaves it.
#
# The command: fields each UTF-8 and ended by a NUL byte (NUL cannot occur in a path, an argument or an
# environment variable, so nothing needs escaping): "<argc> <envc>", the script path and its arguments
# (argc fields), then envc name/value pairs: the variables of this one step (a cold start gets them in its
# environment; the spare was started before they were known).


def _spare_main():
    import os
    import sys

    # Python 3.13+ imports linecache to keep the text of `-c` code; a cold start has not imported it.
    linecache = sys.modules.get("linecache")
    if sys.version_info >= (3, 13) and linecache is not None and len(getattr(linecache, "cache", ())) == 1:
        del sys.modules["linecache"]
    del linecache

    chunks = []
    while True:
        chunk = os.read(0, 65536)
        if not chunk:
            # Stepwise closed the pipe without a command (it threw this spare away, or it exited).
            os._exit(0)
        chunks.append(chunk)
        data = b"".join(chunks)
        head, sep, _ = data.partition(b"\0")
        if sep:
            argc, envc = (int(n) for n in head.split(b" "))
            if data.count(b"\0") > argc + 2 * envc:
                break
    fields = [os.fsdecode(f) for f in data.split(b"\0")[1 : 1 + argc + 2 * envc]]
    script, args = fields[0], fields[1:argc]
    step_env = fields[argc:]

    # A cold step's stdin is the null device (stdin: 'ignore'); the pipe goes away with it. dup2 on
    # Windows also resets the process's standard input handle, which child processes inherit.
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    # One NUL byte on stdout says "I have the command and am alive": Stepwise takes it off stdout, and
    # starts the step cold instead when it never comes (the spare died) or something came before it.
    os.write(1, b"\0")

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

    code = None
    try:
        with open(script, "rb") as f:
            source = f.read()
        # Bytes, so a coding cookie or a BOM is honoured as in a cold start.
        code = compile(source, main_file, "exec", dont_inherit=True)
        del source
        exec(code, namespace)
    except SystemExit:
        # Prints nothing but its message: the interpreter handles it exactly as for a cold start.
        raise
    except BaseException as error:
        # Show only the user's frames, through whichever sys.excepthook is in force (the script may have
        # set its own), then let the interpreter end the process as it would have (exit code 1, or
        # death by SIGINT for KeyboardInterrupt, after atexit handlers and flushing).
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code is not code:
            tb = tb.tb_next
        error.__traceback__ = tb
        sys.excepthook(type(error), error, tb)
        sys.excepthook = lambda *_: None
        del tb
        raise


_spare_main()
