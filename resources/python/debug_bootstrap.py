# Stepwise's step debugger: `python debug_bootstrap.py script.py --variables-file vars.json` runs script.py
# exactly as `python script.py --variables-file vars.json` would (argv, __main__, __file__, sys.path[0], cwd,
# stdin, sys.exit, children), under bdb. It connects to 127.0.0.1:$STEPWISE_DEBUG_PORT, proves itself with
# $STEPWISE_DEBUG_TOKEN (both removed from the environment before the script runs, so children never see
# them) and speaks newline-delimited JSON, version 1:
#   main -> here: {"v":1,"seq":n,"type":"request","command":..,"args":{..}}
#   here -> main: {"v":1,"seq":n,"type":"hello"|"response"|"event",..}
# Standard library only, Python >= 3.8. Its own frames never show in a stack or a traceback.
import bdb
import dis
import json
import os
import queue
import reprlib
import socket
import sys
import threading
import types

PROTOCOL_VERSION = 1
BOOTSTRAP_FILE = os.path.normcase(os.path.abspath(__file__))
REPR_CHARS = 500
PAGE_MAX = 500
RESUMING = ("continue", "next", "stepIn", "stepOut")


class _Repr(reprlib.Repr):
    # reprlib looks at a handful of elements only: the repr of a 50 MB list costs as much as of a short one.
    def __init__(self):
        reprlib.Repr.__init__(self)
        self.maxlevel = 3
        self.maxlist = self.maxtuple = self.maxset = self.maxfrozenset = self.maxdeque = self.maxarray = 20
        self.maxdict = 12
        self.maxstring = 300
        self.maxlong = 300
        self.maxother = 300


_REPR = _Repr()


def short_repr(value):
    try:
        text = _REPR.repr(value)
    except Exception as error:
        text = "<repr failed: %s: %s>" % (type(error).__name__, error)
    return text if len(text) <= REPR_CHARS else text[: REPR_CHARS - 1] + "\u2026"


def describe_error(error):
    return "%s: %s" % (type(error).__name__, error) if str(error) else type(error).__name__


def executable_lines(code):
    lines = set()
    stack = [code]
    while stack:
        c = stack.pop()
        lines.update(line for _, line in dis.findlinestarts(c) if line)
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    return lines


class Channel:
    def __init__(self, port, token):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.sock.makefile("r", encoding="utf-8", newline="\n")
        self.lock = threading.Lock()
        self.seq = 0
        self.send({"type": "hello", "token": token, "pid": os.getpid(), "python": sys.version.split()[0]})

    def send(self, message):
        with self.lock:
            self.seq += 1
            message = dict(message, v=PROTOCOL_VERSION, seq=self.seq)
            data = (json.dumps(message, ensure_ascii=True, default=short_repr) + "\n").encode("ascii")
            self.sock.sendall(data)

    def respond(self, request, body=None, error=None):
        message = {"type": "response", "request_seq": request.get("seq", 0), "command": request.get("command", ""), "success": error is None}
        if error is None:
            message["body"] = body if body is not None else {}
        else:
            message["message"] = error
        self.send(message)

    def event(self, name, body):
        self.send({"type": "event", "event": name, "body": body})


class StepDebugger(bdb.Bdb):
    def __init__(self, channel, script):
        bdb.Bdb.__init__(self)
        self.channel = channel
        self.script = script
        self.script_key = self.canonic(script)
        self.requests = queue.Queue()
        self.stopped = False
        self.frames = []
        self.refs = {}
        self.code_lines = None
        self.compile_error = None
        self.started = False
        self.pausing = False
        self.line_count = 0

    # -- where we stop --------------------------------------------------------------------------------
    def is_user_frame(self, frame):
        return self.canonic(frame.f_code.co_filename) == self.script_key

    def stop_here(self, frame):
        # Stepping stops only in the script: the editor shows no other file, and a step into a library
        # call comes back out at the script's next line.
        return self.is_user_frame(frame) and bdb.Bdb.stop_here(self, frame)

    def set_continue(self):
        # bdb drops its trace function when no breakpoint is set; kept, so breakpoints set later and pause work.
        self._set_stopinfo(self.botframe, None, -1)

    def user_call(self, frame, argument_list):
        pass

    def user_line(self, frame):
        if not self.started:
            self.started = True
            if not self.break_here(frame):
                self.set_continue()
                return
            self.interaction(frame, None, "breakpoint")
            return
        at_break = bool(self.get_breaks(self.canonic(frame.f_code.co_filename), frame.f_lineno))
        reason = "breakpoint" if at_break else ("pause" if self.pausing else "step")
        self.pausing = False
        self.interaction(frame, None, reason)

    def user_return(self, frame, return_value):
        # Stop at the caller's next line rather than on the return itself, as a person stepping expects.
        if frame.f_back is not None and self.is_user_frame(frame.f_back):
            self.set_step()
        else:
            self.set_continue()

    def user_exception(self, frame, exc_info):
        pass

    # -- a stop -----------------------------------------------------------------------------------------
    def user_stack(self, frame):
        frames = []
        while frame is not None and os.path.normcase(os.path.abspath(frame.f_code.co_filename)) != BOOTSTRAP_FILE:
            if self.canonic(frame.f_code.co_filename) != self.canonic(bdb.__file__):
                frames.append(frame)
            frame = frame.f_back
        return frames

    def interaction(self, frame, traceback, reason, error=None):
        if traceback is not None:
            frames = []
            tb = traceback
            while tb is not None:
                if os.path.normcase(os.path.abspath(tb.tb_frame.f_code.co_filename)) != BOOTSTRAP_FILE:
                    frames.append((tb.tb_frame, tb.tb_lineno))
                tb = tb.tb_next
            frames.reverse()
        else:
            frames = [(f, f.f_lineno) for f in self.user_stack(frame)]
        self.frames = frames
        self.refs = {}
        self.stopped = True
        current = next((i for i, (f, _) in enumerate(frames) if self.is_user_frame(f)), 0)
        body = {"reason": reason, "frame_id": current, "line": frames[current][1] if frames else 0, "file": self.script}
        if error is not None:
            body["exception"] = describe_error(error)
        self.channel.event("stopped", body)
        try:
            return self.serve_until_resumed(post_mortem=traceback is not None)
        finally:
            self.stopped = False
            self.frames = []
            self.refs = {}

    def serve_until_resumed(self, post_mortem):
        while True:
            request = self.requests.get()
            command = request.get("command")
            try:
                if command in RESUMING:
                    frame = self.frames[0][0] if self.frames else None
                    self.channel.respond(request)
                    self.channel.event("continued", {})
                    if post_mortem:
                        return command
                    if command == "continue":
                        self.set_continue()
                    elif command == "next":
                        self.set_next(frame)
                    elif command == "stepIn":
                        self.set_step()
                    else:
                        self.set_return(frame)
                    return command
                self.channel.respond(request, self.answer(request))
            except Exception as error:
                self.channel.respond(request, error=describe_error(error))

    # -- requests while stopped ---------------------------------------------------------------------------
    def answer(self, request):
        command = request.get("command")
        args = request.get("args") or {}
        if command == "stack":
            return {"frames": [self.frame_info(i, f, line) for i, (f, line) in enumerate(self.frames)]}
        if command == "scopes":
            frame = self.frame_at(args)
            scopes = [{"name": "locals", "ref": self.remember(("scope", frame.f_locals)), "count": len(frame.f_locals)}]
            if frame.f_globals is not frame.f_locals:
                scopes.append({"name": "globals", "ref": self.remember(("scope", frame.f_globals)), "count": len(frame.f_globals)})
            return {"scopes": scopes}
        if command == "variables":
            return self.children(args)
        if command == "evaluate":
            return self.evaluate(args)
        raise ValueError("unknown command %r" % command)

    def frame_at(self, args):
        index = int(args.get("frame_id", 0))
        if not 0 <= index < len(self.frames):
            raise ValueError("no frame %d (the stack has %d)" % (index, len(self.frames)))
        return self.frames[index][0]

    def frame_info(self, index, frame, line):
        return {"id": index, "name": frame.f_code.co_name, "file": frame.f_code.co_filename, "line": line, "user": self.is_user_frame(frame)}

    def remember(self, target):
        ref = len(self.refs) + 1
        self.refs[ref] = target
        return ref

    def variable(self, name, value):
        entry = {"name": name, "value": short_repr(value), "type": type(value).__name__, "ref": 0}
        count = self.child_count(value)
        if count is not None:
            entry["count"] = count
            if count:
                entry["ref"] = self.remember(("value", value))
        elif self.attributes(value):
            entry["ref"] = self.remember(("value", value))
        return entry

    @staticmethod
    def child_count(value):
        if isinstance(value, (str, bytes, bytearray)):
            return None
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            return len(value)
        return None

    @staticmethod
    def attributes(value):
        if isinstance(value, (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, int, float, complex, bool, str, bytes)):
            return {}
        try:
            found = vars(value)
            return found if isinstance(found, dict) else {}
        except TypeError:
            return {}

    def children(self, args):
        ref = int(args.get("ref", 0))
        if ref not in self.refs:
            raise ValueError("no variable %d at this stop" % ref)
        start = max(0, int(args.get("start", 0)))
        count = min(PAGE_MAX, max(1, int(args.get("count", 100))))
        kind, value = self.refs[ref]
        if kind == "scope":
            items = [(k, v) for k, v in list(value.items()) if not (k.startswith("__") and k.endswith("__"))]
            total = len(items)
            page = items[start : start + count]
        elif isinstance(value, dict):
            total = len(value)
            page = [(short_repr(k), v) for k, v in _islice(value.items(), start, count)]
        elif isinstance(value, (list, tuple)):
            total = len(value)
            page = [("[%d]" % i, value[i]) for i in range(start, min(total, start + count))]
        elif isinstance(value, (set, frozenset)):
            total = len(value)
            page = [("[%d]" % (start + i), v) for i, v in enumerate(_islice(value, start, count))]
        else:
            items = list(self.attributes(value).items())
            total = len(items)
            page = items[start : start + count]
        return {"variables": [self.variable(str(name), v) for name, v in page], "total": total, "start": start}

    def evaluate(self, args):
        frame = self.frame_at(args)
        expression = str(args.get("expression", ""))
        try:
            try:
                code = compile(expression, "<console>", "eval")
            except SyntaxError:
                exec(compile(expression, "<console>", "exec"), frame.f_globals, frame.f_locals)
                return {"result": self.variable("result", None), "statement": True}
            return {"result": self.variable("result", eval(code, frame.f_globals, frame.f_locals))}
        except BaseException as error:
            # An expression that raises (or calls sys.exit) is an answer, never the end of the session.
            return {"error": describe_error(error)}

    # -- breakpoints ------------------------------------------------------------------------------------
    def set_breakpoints(self, args):
        self.clear_all_breaks()
        if self.code_lines is None and self.compile_error is None:
            try:
                with open(self.script, "rb") as f:
                    source = f.read()
                self.line_count = source.count(b"\n") + 1
                self.code_lines = executable_lines(compile(source, self.script, "exec", dont_inherit=True))
            except SyntaxError as error:
                self.compile_error = "the script does not compile (line %s: %s)" % (error.lineno, error.msg)
        results = []
        for wanted in args.get("breakpoints") or []:
            line = int(wanted.get("line", 0))
            condition = wanted.get("condition") or None
            if self.compile_error:
                results.append({"line": line, "verified": False, "message": self.compile_error})
                continue
            if condition:
                try:
                    compile(condition, "<condition>", "eval")
                except SyntaxError as error:
                    results.append({"line": line, "verified": False, "message": "the condition is not an expression: %s" % error.msg})
                    continue
            if line < 1 or line > self.line_count:
                results.append({"line": line, "verified": False, "message": "the script has %d lines" % self.line_count})
                continue
            actual = min((n for n in self.code_lines if n >= line), default=None)
            if actual is None:
                results.append({"line": line, "verified": False, "message": "no code runs at or after line %d" % line})
                continue
            self.set_break(self.script, actual, cond=condition)
            result = {"line": line, "verified": True, "actual_line": actual}
            if actual != line:
                result["message"] = "line %d has no code; moved to line %d" % (line, actual)
            results.append(result)
        return {"breakpoints": results}

    def pause(self):
        # From the reader thread: the main thread's frames get the trace function, so its next line stops.
        self.pausing = True
        frame = sys._current_frames().get(threading.main_thread().ident)
        while frame is not None:
            if self.is_user_frame(frame):
                frame.f_trace = self.trace_dispatch
            frame = frame.f_back
        self.set_step()


def _islice(iterable, start, count):
    import itertools

    return itertools.islice(iterable, start, start + count)


def _read_requests(channel, debugger, configured):
    # The reader thread: requests that need the main thread stopped are queued for it; the others are
    # answered here. The connection closing means Stepwise is gone: so is the step.
    for line in channel.reader:
        try:
            request = json.loads(line)
            if not isinstance(request, dict) or request.get("type") != "request":
                raise ValueError("not a request")
        except ValueError as error:
            channel.event("output", {"category": "protocol", "text": "ignored a message: %s" % error})
            continue
        command = request.get("command")
        try:
            if command == "setBreakpoints":
                channel.respond(request, debugger.set_breakpoints(request.get("args") or {}))
            elif command == "start":
                channel.respond(request)
                configured.set()
            elif command == "stop":
                channel.respond(request)
                os._exit(137)
            elif command == "pause":
                if not debugger.stopped:
                    debugger.pause()
                channel.respond(request)
            elif debugger.stopped:
                debugger.requests.put(request)
            else:
                channel.respond(request, error="the step is running; %s needs it paused" % command)
        except Exception as error:
            channel.respond(request, error=describe_error(error))
    os._exit(137)


def _run(script):
    import builtins
    import importlib.machinery

    port = int(os.environ.pop("STEPWISE_DEBUG_PORT"))
    token = os.environ.pop("STEPWISE_DEBUG_TOKEN")
    channel = Channel(port, token)
    debugger = StepDebugger(channel, script)
    configured = threading.Event()
    threading.Thread(target=_read_requests, args=(channel, debugger, configured), daemon=True).start()
    configured.wait()

    # As `python script.py ...`: argv without this file, the script's folder first on the path, and the
    # script's code run in a fresh __main__ module.
    sys.argv = sys.argv[1:]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    main = types.ModuleType("__main__")
    main.__dict__.update(
        __file__=script,
        __cached__=None,
        __builtins__=builtins,
        __loader__=importlib.machinery.SourceFileLoader("__main__", script),
    )
    sys.modules["__main__"] = main
    try:
        with open(script, "rb") as f:
            source = f.read()
        code = compile(source, script, "exec", dont_inherit=True)
        debugger.reset()
        sys.settrace(debugger.trace_dispatch)
        try:
            exec(code, main.__dict__)
        finally:
            sys.settrace(None)
    except SystemExit:
        raise
    except BaseException as error:
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != script:
            tb = tb.tb_next
        if tb is not None:
            # Post-mortem: the stack where it raised, with its locals, before it ends as a real run would.
            debugger.interaction(None, tb, "exception", error)
        sys.excepthook(type(error), error.with_traceback(tb), tb)
        sys.exit(1)


if __name__ == "__main__":
    if sys.platform == "win32":
        try:
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            import stepwise_step_bootstrap as _job

            _JOB = _job._enter_kill_on_close_job()
            del sys.modules["stepwise_step_bootstrap"]
            sys.path.pop(0)
        except Exception:
            _JOB = None  # Stepwise still ends the tree with taskkill on Stop.
    _run(sys.argv[1])
