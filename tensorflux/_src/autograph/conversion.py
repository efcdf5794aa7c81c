"""AutoGraph: rewrites a Python function's control flow on tensors into `cond` / `while_loop`.

The function's source is parsed with `ast`; `if`, `while` and `for` statements become calls to the
runtime helpers in `operators.py`, which choose at run time between plain Python (Python-valued
test or iterable) and the graph constructs (tensor-valued). Branch and loop bodies become nested
functions that take and return the local variables the statement assigns.
"""

from __future__ import annotations

import ast
import copy
import functools
import inspect
import itertools
import logging
import textwrap
import types
import weakref

from tensorflux._src.autograph import operators

_log = logging.getLogger("tensorflux.autograph")
_AG = "ag__"
_counter = itertools.count()
_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class ConversionError(Exception):
    """The function's source could not be converted."""


# ------------------------------------------------------------------ analysis


def _walk_scope(nodes):
    """Nodes in `nodes`, not descending into nested scopes."""
    stack = list(nodes)
    while stack:
        n = stack.pop()
        yield n
        for c in ast.iter_child_nodes(n):
            if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                              ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    yield c  # its name is bound here
                continue
            stack.append(c)


def _assigned(stmts) -> list:
    names = []
    for n in _walk_scope(stmts):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            names.append(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(n.name)
        elif isinstance(n, ast.alias):
            names.append((n.asname or n.name).split(".")[0])
    out = []
    for n in names:
        if n not in out and not n.startswith("_ag_"):
            out.append(n)
    return out


def _contains(stmts, kinds, loops=True) -> bool:
    """Whether `stmts` hold a node of `kinds`; `loops=False` skips nested loop bodies."""
    stack = list(stmts)
    while stack:
        n = stack.pop()
        if isinstance(n, kinds):
            return True
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if not loops and isinstance(n, (ast.For, ast.While, ast.AsyncFor)):
            stack.extend(n.orelse)
            continue
        stack.extend(ast.iter_child_nodes(n))
    return False


# ------------------------------------------------------------------ AST builders


def _name(n, store=False):
    return ast.Name(id=n, ctx=ast.Store() if store else ast.Load())


def _ag_call(fn, *args):
    return ast.Call(func=ast.Attribute(value=_name(_AG), attr=fn, ctx=ast.Load()),
                    args=list(args), keywords=[])


def _tuple(names, store=False):
    ctx = ast.Store() if store else ast.Load()
    return ast.Tuple(elts=[_name(n, store) for n in names], ctx=ctx)


def _strs(names):
    return ast.Tuple(elts=[ast.Constant(n) for n in names], ctx=ast.Load())


def _def(name, params, body, ret):
    args = ast.arguments(posonlyargs=[], args=[ast.arg(arg=p) for p in params], vararg=None,
                         kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    body = list(body) + [ast.Return(value=ret)]
    return ast.FunctionDef(name=name, args=args, body=body, decorator_list=[], returns=None,
                           type_comment=None)


def _get_vars(names):
    locs = ast.Call(func=_name("locals"), args=[], keywords=[])
    return _ag_call("get_vars", locs, _strs(names))


def _assign(target, value):
    return ast.Assign(targets=[target], value=value)


def _lower_jumps(stmts, brk, cont):
    """Replaces this loop's `break`/`continue` by flag assignments, guarding what follows."""
    out = []
    for i, s in enumerate(stmts):
        if isinstance(s, ast.Break):
            out.append(ast.copy_location(_assign(_name(brk, True), ast.Constant(True)), s))
            return out
        if isinstance(s, ast.Continue):
            out.append(ast.copy_location(_assign(_name(cont, True), ast.Constant(True)), s))
            return out
        if isinstance(s, ast.If) and _contains([s], (ast.Break, ast.Continue), loops=False):
            s.body = _lower_jumps(s.body, brk, cont) or [ast.Pass()]
            s.orelse = _lower_jumps(s.orelse, brk, cont)
            out.append(s)
            rest = _lower_jumps(stmts[i + 1:], brk, cont)
            if rest:
                guard = ast.UnaryOp(op=ast.Not(), operand=ast.BoolOp(
                    op=ast.Or(), values=[_name(brk), _name(cont)]))
                out.append(ast.copy_location(ast.If(test=guard, body=rest, orelse=[]), rest[0]))
            return out
        if _contains([s], (ast.Break, ast.Continue), loops=False):
            raise NotImplementedError(
                "break/continue is only converted directly in a loop or an if")
        out.append(s)
    return out


# ------------------------------------------------------------------ returns in branches

_RETVAL = "ag__retval"


def _returns_outside_loops(stmts) -> bool:
    return _contains(stmts, (ast.Return,), loops=False)


def _returns_in_loops(stmts) -> bool:
    for n in _walk_scope(stmts):
        if isinstance(n, (ast.For, ast.While, ast.AsyncFor)) and _contains(n.body, (ast.Return,)):
            return True
    return False


def _lower_returns(stmts):
    """Rewrites `if` statements holding `return` so that the function has one exit.

    The statements after such an `if` are copied into both branches; every `return v` becomes
    `ag__retval = v` ending its branch. Returns (statements, whether a path always returned).
    """
    out = []
    for i, s in enumerate(stmts):
        if isinstance(s, ast.Return):
            value = s.value if s.value is not None else ast.Constant(None)
            out.append(ast.copy_location(_assign(_name(_RETVAL, True), value), s))
            return out, True
        if isinstance(s, ast.If) and _returns_outside_loops([s]) and not _returns_in_loops([s]):
            rest = stmts[i + 1:]
            body, _ = _lower_returns(s.body + copy.deepcopy(rest))
            orelse, _ = _lower_returns(s.orelse + copy.deepcopy(rest))
            s.body = body or [ast.Pass()]
            s.orelse = orelse
            out.append(s)
            return out, True
        out.append(s)
    return out, False


def _lower_function_returns(body):
    """One exit for functions whose `if` statements return (so tensor conditions convert)."""
    candidates = [
        s for s in body if isinstance(s, ast.If) and _returns_outside_loops([s])
        and not _returns_in_loops([s])
    ]  # fmt: skip
    if not candidates:
        return body
    lowered, _ = _lower_returns(body)
    init = ast.copy_location(_assign(_name(_RETVAL, True), ast.Constant(None)), body[0])
    ret = ast.copy_location(ast.Return(value=_name(_RETVAL)), body[-1])
    out = [init] + lowered + [ret]
    for stmt in out:
        ast.fix_missing_locations(stmt)
    return out


# ------------------------------------------------------------------ the transformer


def _loads(node):
    counts = {}
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            counts[n.id] = counts.get(n.id, 0) + 1
    return counts


class _Converter(ast.NodeTransformer):
    def __init__(self, tree):
        self._total = _loads(tree)  # over-approximate liveness: read anywhere else
        self._loop_depth = 0

    def _uid(self):
        return next(_counter)

    def _live(self, names, node):
        inside = {} if self._loop_depth else _loads(node)
        return [n for n in names
                if n.startswith(_AG) or self._total.get(n, 0) - inside.get(n, 0) > 0]

    def visit(self, node):
        out = super().visit(node)
        if isinstance(out, list):  # generated statements point at the statement they replace
            for s in out:
                if not hasattr(s, "lineno") and hasattr(node, "lineno"):
                    ast.copy_location(s, node)
                    s.end_lineno, s.end_col_offset = s.lineno, s.col_offset
                ast.fix_missing_locations(s)
        return out

    def _unconverted(self, node, what):
        self.generic_visit(node)
        node.test = _ag_call("py_test", node.test, ast.Constant(what))
        return node

    def visit_If(self, node):
        if _contains(node.body + node.orelse, (ast.Return,)):
            return self._unconverted(node, "a return statement")
        if _contains(node.body + node.orelse, (ast.Break, ast.Continue), loops=False):
            return self._unconverted(node, "break/continue outside a converted loop")
        if _contains(node.body + node.orelse, (ast.Yield, ast.YieldFrom, ast.Global,
                                               ast.Nonlocal)):
            return self._unconverted(node, "yield/global/nonlocal")
        live = self._live(_assigned(node.body + node.orelse), node)
        self.generic_visit(node)
        names = _assigned(node.body + node.orelse)
        live = [n for n in names if n in live]
        k = self._uid()
        t, f = f"_ag_true_{k}", f"_ag_false_{k}"
        out = [_def(t, names, node.body, _tuple(live)),
               _def(f, names, node.orelse or [ast.Pass()], _tuple(live))]
        call = _ag_call("if_stmt", node.test, _name(t), _name(f), _get_vars(names), _strs(live))
        out.append(_assign(_tuple(live, True), call) if live else ast.Expr(value=call))
        return out

    def _loop_checks(self, node):
        if node.orelse:
            return "an else clause"
        if _contains(node.body, (ast.Return,)):
            return "a return statement"
        if _contains(node.body, (ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)):
            return "yield/global/nonlocal"
        return None

    def _lower(self, node):
        k = self._uid()
        brk, cont = f"ag__brk_{k}", f"ag__cont_{k}"
        has_brk = _contains(node.body, (ast.Break,), loops=False)
        has_cont = _contains(node.body, (ast.Continue,), loops=False)
        pre = []
        if has_brk or has_cont:
            node.body = _lower_jumps(node.body, brk, cont) or [ast.Pass()]
            node.body.insert(0, _assign(_name(cont, True), ast.Constant(False)))
            pre.append(_assign(_name(brk, True), ast.Constant(False)))
        return k, (brk if has_brk or has_cont else None), pre

    def _lower_and_visit(self, node):
        """Prepares a loop's break/continue flags, then converts its body one loop deeper."""
        k, brk, pre = self._lower(node)
        self._loop_depth += 1
        try:
            self.generic_visit(node)
        finally:
            self._loop_depth -= 1
        return k, brk, pre

    def visit_While(self, node):
        why = self._loop_checks(node)
        if why:
            return self._unconverted(node, why)
        k, brk, pre = self._lower_and_visit(node)
        names = _assigned(node.body)
        if brk and brk not in names:
            names.append(brk)
        test = node.test
        if brk:
            test = _ag_call("and_", ast.Lambda(args=_noargs(), body=_ag_call("not_", _name(brk))),
                            ast.Lambda(args=_noargs(), body=test))
        t, b = f"_ag_test_{k}", f"_ag_body_{k}"
        out = pre + [_def(t, names, [], test), _def(b, names, node.body, _tuple(names))]
        call = _ag_call("while_stmt", _name(t), _name(b), _get_vars(names), _strs(names))
        out.append(_assign(_tuple(names, True), call) if names else ast.Expr(value=call))
        return out

    def visit_For(self, node):
        why = self._loop_checks(node)
        if why:
            self.generic_visit(node)
            return node  # stays a Python loop
        it = node.iter
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range":
            it.func = ast.Attribute(value=_name(_AG), attr="range_", ctx=ast.Load())
        k, brk, pre = self._lower_and_visit(node)
        item = f"ag__item_{k}"
        body = [_assign(node.target, _name(item))] + node.body
        names = _assigned(body)
        if brk and brk not in names:
            names.append(brk)
        out = list(pre)
        b = f"_ag_body_{k}"
        extra = ast.Constant(None)
        if brk:
            e = f"_ag_extra_{k}"
            out.append(_def(e, names, [], _ag_call("not_", _name(brk))))
            extra = _name(e)
        out.append(_def(b, [item] + names, body, _tuple(names)))
        call = _ag_call("for_stmt", node.iter, extra, _name(b), _get_vars(names), _strs(names),
                        _strs(_assigned(body[:1])))
        out.append(_assign(_tuple(names, True), call) if names else ast.Expr(value=call))
        return out

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        fn = "and_" if isinstance(node.op, ast.And) else "or_"
        expr = node.values[-1]
        for v in reversed(node.values[:-1]):
            expr = _ag_call(fn, ast.Lambda(args=_noargs(), body=v),
                            ast.Lambda(args=_noargs(), body=expr))
        return expr

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return _ag_call("not_", node.operand)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "print":
            node.func = ast.Attribute(value=_name(_AG), attr="print_", ctx=ast.Load())
        elif isinstance(node.func, ast.Name) and node.func.id not in _FRAME_BUILTINS:
            # Plain-name calls of user functions are converted too (recursive conversion).
            node.args.insert(0, node.func)
            node.func = ast.Attribute(value=_name(_AG), attr="converted_call", ctx=ast.Load())
        return node


_FRAME_BUILTINS = frozenset(
    {"locals", "globals", "vars", "eval", "exec", "super", "dir", "compile", "breakpoint"})


def _noargs():
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])


# ------------------------------------------------------------------ entry points


def _convert_function(fn):
    if getattr(fn, "__name__", "") == "<lambda>":
        raise ConversionError("lambda functions are not converted")
    code = fn.__code__
    if "__class__" in code.co_freevars:
        raise ConversionError("functions using zero-argument super() are not converted")
    try:
        source = inspect.getsource(fn)
        filename = inspect.getsourcefile(fn) or "<autograph>"
        _, first = inspect.getsourcelines(fn)
    except (OSError, TypeError) as e:
        raise ConversionError(f"no source code: {e}") from None
    tree = ast.parse(textwrap.dedent(source))
    node = tree.body[0]
    if not isinstance(node, ast.FunctionDef):
        raise ConversionError("not a plain function definition")
    node.decorator_list = []
    node.returns = None
    a = node.args
    for arg in a.posonlyargs + a.args + a.kwonlyargs + [a.vararg, a.kwarg]:
        if arg is not None:
            arg.annotation = None
    a.defaults = [ast.Constant(None) for _ in a.defaults]
    a.kw_defaults = [None if d is None else ast.Constant(None) for d in a.kw_defaults]
    node.body = _lower_function_returns(node.body)
    node = _Converter(node).visit(node)
    source_text = ast.unparse(node)
    free = list(code.co_freevars)
    closure = fn.__closure__ or ()
    values = []
    for cell in closure:
        try:
            values.append(cell.cell_contents)
        except ValueError:
            raise ConversionError("closure variable not yet defined") from None
    factory_name = f"_ag_factory_{next(_counter)}"
    fargs = ast.arguments(posonlyargs=[], args=[ast.arg(arg=n) for n in [_AG] + free],
                          vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    factory = ast.FunctionDef(name=factory_name, args=fargs,
                              body=[node, ast.Return(value=_name(node.name))],
                              decorator_list=[], returns=None, type_comment=None)
    module = ast.Module(body=[factory], type_ignores=[])
    ast.fix_missing_locations(module)
    ast.increment_lineno(module, first - 1)
    compiled = compile(module, filename, "exec")
    namespace = {}
    exec(compiled, fn.__globals__, namespace)  # noqa: S102 - the user's own function
    new = namespace[factory_name](operators, *values)
    new.__defaults__ = fn.__defaults__
    new.__kwdefaults__ = fn.__kwdefaults__
    new.__doc__ = fn.__doc__
    new.__module__ = fn.__module__
    new.__qualname__ = fn.__qualname__
    new.__dict__.update(fn.__dict__)
    new.__ag_converted__ = True
    new.__ag_source__ = source_text
    return new


_verbosity = [0, False]


def set_verbosity(level: int, alsologtostdout: bool = False) -> None:
    _verbosity[0], _verbosity[1] = level, alsologtostdout


def _log_conversion(fn, new) -> None:
    if _verbosity[0] <= 0:
        return
    msg = f"Converted {getattr(fn, '__qualname__', fn)}"
    if _verbosity[0] >= 3:
        msg += ":\n" + getattr(new, "__ag_source__", "")
    _log.info(msg)
    if _verbosity[1]:
        print(msg)


def convert(fn, warn=True):
    """The converted version of `fn`, or `fn` itself where it cannot be converted (cached)."""
    if isinstance(fn, types.MethodType):
        inner = convert(fn.__func__, warn)
        return fn if inner is fn.__func__ else types.MethodType(inner, fn.__self__)
    if isinstance(fn, functools.partial):
        inner = convert(fn.func, warn)
        return fn if inner is fn.func else functools.partial(inner, *fn.args, **fn.keywords)
    if not isinstance(fn, types.FunctionType) or getattr(fn, "__ag_do_not_convert__", False):
        return fn
    if getattr(fn, "__ag_converted__", False):
        return fn
    try:
        return _cache[fn]
    except KeyError:
        pass
    try:
        new = _convert_function(fn)
        _log_conversion(fn, new)
    except ConversionError:
        new = fn
    except Exception as e:  # noqa: BLE001 - conversion failure falls back to the original
        if warn:
            _log.warning(
                "AutoGraph could not transform %s and will run it as-is.\nCause: %s", fn, e)
        new = fn
    _cache[fn] = new
    return new
