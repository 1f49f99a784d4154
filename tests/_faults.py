"""Run `spectroscopynet ARGS...` in a process that dies (SIGKILL: no cleanup, no `finally`) or pauses at a chosen point.

    python tests/_faults.py kill:MODULE.FUNCTION:N  VERB ARGS...   # SIGKILL right after the N-th call of FUNCTION returns
    python tests/_faults.py pause:MODULE.FUNCTION:N VERB ARGS...   # print PAUSED there and wait for a line on stdin
    python tests/_faults.py hold FOLDER...                        # hold `run_lock` on each FOLDER until killed

Used by tests/test_faults_*.py; not collected by pytest (the name does not start with `test_`)."""
import importlib, os, signal, sys, time

def _after(target:str, n:int, action):
    "Make `action` run right after the n-th call of `target` ('module.function') returns"
    modname, name = target.rsplit('.', 1)
    mod = importlib.import_module(modname)
    f, calls = getattr(mod, name), [0]
    def wrapped(*args, **kwargs):
        r = f(*args, **kwargs)
        calls[0] += 1
        if calls[0] == n: action()
        return r
    setattr(mod, name, wrapped)

def _kill(): os.kill(os.getpid(), signal.SIGKILL)
def _pause(): print('PAUSED', flush=True); sys.stdin.readline()  # until the test writes a line

if __name__ == '__main__':
    fault, args = sys.argv[1], sys.argv[2:]
    if fault == 'hold':
        from contextlib import ExitStack
        from spectroscopynet.runtime import run_lock
        with ExitStack() as stack:
            for folder in args: stack.enter_context(run_lock(folder))
            print('HELD', flush=True); time.sleep(120)
        sys.exit(0)
    kind, target, n = fault.split(':')
    _after(target, int(n), {'kill': _kill, 'pause': _pause}[kind])
    from spectroscopynet.cli import main
    main(args)
