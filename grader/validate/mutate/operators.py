"""The fixed mutation operators: each turns one node of a reference solution into one mistake.

Every operator reads the solution with the standard ``ast`` module and rewrites only the
source text of the node it mutates (from the node's start to its end position), so the
mutant differs from the reference on that span alone and its diff is one or two lines.
Only code inside functions is mutated, never a docstring, an annotation, an f-string or the
message of a ``raise`` (changing a message is no mistake a suite should pin down).

The operators (``OPERATORS``), with what each does:

compare     ``<`` <-> ``<=``, ``>`` <-> ``>=``, ``==`` <-> ``!=``, ``in`` <-> ``not in``,
            ``is`` <-> ``is not``
arithmetic  ``+`` <-> ``-``, ``*`` <-> ``/``, ``/`` -> ``//``, ``//`` -> ``/``, ``%`` -> ``//``,
            ``**`` -> ``*``, the same in ``+=`` and friends; a unary minus dropped
constant    an integer (or integral float) literal ``n`` -> ``n + 1`` and ``n - 1``
boolean     ``and`` <-> ``or``, ``not x`` -> ``x``, ``True`` <-> ``False``
axis        a call's ``axis=`` keyword dropped (the function's default) or set to ``0`` / ``-1``
keepdims    a call's ``keepdims=`` keyword flipped or dropped
drop_call   a call replaced by its first argument (``np.clip(p, eps, 1)`` -> ``p``), or a method
            call without arguments by its object (``x.copy()`` -> ``x``)
term        ``a - b`` and ``a + b`` -> ``a`` (the max shift of a softmax removed)
statement   an assignment, expression, ``if``, loop, ``raise`` or ``assert`` replaced by ``pass``
arguments   two neighbouring positional arguments of a call swapped
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

OPERATORS = ("compare", "arithmetic", "axis", "keepdims", "constant", "boolean", "drop_call",
             "term", "statement", "arguments")
"""In the order they are tried: where two make the same mutant, the first names it."""

_COMPARE: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Lt: (ast.LtE,), ast.LtE: (ast.Lt,), ast.Gt: (ast.GtE,), ast.GtE: (ast.Gt,),
    ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,), ast.In: (ast.NotIn,), ast.NotIn: (ast.In,),
    ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,),
}
_ARITHMETIC: dict[type[ast.operator], tuple[type[ast.operator], ...]] = {
    ast.Add: (ast.Sub,), ast.Sub: (ast.Add,), ast.Mult: (ast.Div,), ast.Div: (ast.Mult,
                                                                              ast.FloorDiv),
    ast.FloorDiv: (ast.Div,), ast.Mod: (ast.FloorDiv,), ast.Pow: (ast.Mult,),
}
_STATEMENTS = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.If, ast.For, ast.While,
               ast.Raise, ast.Assert)


@dataclass(frozen=True)
class Edit:
    """One mutation as a text edit: the span of ``node`` in the source becomes ``text``."""

    operator: str
    node: ast.AST
    text: str
    whole_lines: bool = False
    """Replace the node's lines entirely (a statement), keeping its indentation."""


_BINARY = {ast.Add: 6, ast.Sub: 6, ast.Mult: 7, ast.Div: 7, ast.FloorDiv: 7, ast.Mod: 7,
           ast.MatMult: 7, ast.Pow: 9, ast.LShift: 5, ast.RShift: 5, ast.BitAnd: 4,
           ast.BitXor: 3, ast.BitOr: 2}


def _precedence(node: ast.AST | None) -> int:
    """How tightly ``node``'s operator binds (Python's table, coarsely); 20 for no operator."""
    if isinstance(node, ast.IfExp):
        return -2
    if isinstance(node, ast.BoolOp):
        return -1
    if isinstance(node, ast.UnaryOp):
        return 0 if isinstance(node.op, ast.Not) else 8
    if isinstance(node, ast.Compare):
        return 1
    if isinstance(node, ast.BinOp):
        return _BINARY.get(type(node.op), 5)
    if isinstance(node, ast.Attribute | ast.Subscript | ast.Starred | ast.Await):
        return 10
    return 20


def _unparse(node: ast.AST, parent: ast.AST | None) -> str:
    """``node`` as source, in parentheses where ``parent``'s operator binds as tight or
    tighter (a call's argument or an assignment's value needs none)."""
    text = ast.unparse(node)
    own = 8 if isinstance(node, ast.UnaryOp) and _number(node) is not None else \
        _precedence(node)
    outer = _precedence(parent) if isinstance(parent, ast.expr) else 20
    if isinstance(parent, ast.Call | ast.List | ast.Tuple | ast.Dict | ast.Set | ast.keyword):
        outer = 20
    return f"({text})" if own < 20 and own <= outer < 20 else text


def _replaced(node: ast.AST, **changes: object) -> ast.AST:
    new = copy.deepcopy(node)
    for key, value in changes.items():
        setattr(new, key, value)
    return new


def _number(node: ast.AST) -> float | int | None:
    """The value of an integer literal (``-1`` included), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and not isinstance(node.value, bool) and isinstance(
            node.value, int | float):
        value = node.value
        if isinstance(value, int) or float(value).is_integer():
            return value
    return None


def _literal(value: float | int) -> ast.expr:
    if value < 0:
        return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(-value))
    return ast.Constant(value)


def _compare(node: ast.AST, parent: ast.AST | None) -> Iterator[Edit]:
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            for other in _COMPARE.get(type(op), ()):
                ops = [*node.ops]
                ops[index] = other()
                yield Edit("compare", node, _unparse(_replaced(node, ops=ops), parent))


def _arithmetic(node: ast.AST, parent: ast.AST | None) -> Iterator[Edit]:
    if isinstance(node, ast.BinOp | ast.AugAssign):
        for other in _ARITHMETIC.get(type(node.op), ()):
            yield Edit("arithmetic", node, _unparse(_replaced(node, op=other()), parent),
                       whole_lines=isinstance(node, ast.AugAssign))
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and _number(node) is None):
        yield Edit("arithmetic", node, _unparse(node.operand, parent))


def _constant(node: ast.AST, parent: ast.AST | None) -> Iterator[Edit]:
    value = _number(node)
    if value is None or (isinstance(parent, ast.UnaryOp) and _number(parent) is not None):
        return
    for changed in (value + 1, value - 1):
        yield Edit("constant", node, _unparse(_literal(changed), parent))


def _boolean(node: ast.AST, parent: ast.AST | None) -> Iterator[Edit]:
    if isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield Edit("boolean", node, _unparse(_replaced(node, op=other), parent))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield Edit("boolean", node, _unparse(node.operand, parent))
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield Edit("boolean", node, repr(not node.value))


def _keyword_edits(node: ast.AST, parent: ast.AST | None, name: str,
                   values: Callable[[ast.expr], list[ast.expr]]) -> Iterator[Edit]:
    if not isinstance(node, ast.Call):
        return
    for index, keyword in enumerate(node.keywords):
        if keyword.arg != name:
            continue
        kept = [k for i, k in enumerate(node.keywords) if i != index]
        yield Edit(name, node, _unparse(_replaced(node, keywords=kept), parent))
        for value in values(keyword.value):
            changed = [*node.keywords]
            changed[index] = ast.keyword(arg=name, value=value)
            yield Edit(name, node, _unparse(_replaced(node, keywords=changed), parent))


def _axis(node: ast.AST, parent: ast.AST | None) -> Iterator[Edit]:
    yield from _keyword_edits(node, parent, "axis", lambda value: [
        _literal(n) for n in (0, -1) if _number(value) != n])


def _keepdims(node: ast.AST, parent: ast.AST | None) -> Iterator[Edit]:
    def flipped(value: ast.expr) -> list[ast.expr]:
        if isinstance(value, ast.Constant) and isinstance(value.value, bool):
            return [ast.Constant(not value.value)]
        return [ast.UnaryOp(op=ast.Not(), operand=value)]

    yield from _keyword_edits(node, parent, "keepdims", flipped)


def _call(node: ast.AST, parent: ast.AST | None) -> Iterator[Edit]:
    if not isinstance(node, ast.Call) or isinstance(parent, ast.Expr):
        return
    if node.args and not isinstance(node.args[0], ast.Starred):
        yield Edit("drop_call", node, _unparse(node.args[0], parent))
    elif not node.args and not node.keywords and isinstance(node.func, ast.Attribute):
        yield Edit("drop_call", node, _unparse(node.func.value, parent))


def _term(node: ast.AST, parent: ast.AST | None) -> Iterator[Edit]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        yield Edit("term", node, _unparse(node.left, parent))


def _statement(node: ast.AST, parent: ast.AST | None) -> Iterator[Edit]:
    if isinstance(node, _STATEMENTS) and not _is_docstring(node):
        yield Edit("statement", node, "pass", whole_lines=True)


def _arguments(node: ast.AST, parent: ast.AST | None) -> Iterator[Edit]:
    if not isinstance(node, ast.Call):
        return
    for index in range(len(node.args) - 1):
        first, second = node.args[index], node.args[index + 1]
        if isinstance(first, ast.Starred) or isinstance(second, ast.Starred):
            continue
        if ast.dump(first) == ast.dump(second):
            continue
        args = [*node.args]
        args[index], args[index + 1] = second, first
        yield Edit("arguments", node, _unparse(_replaced(node, args=args), parent))


def _is_docstring(node: ast.AST) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


_MAKERS = {"compare": _compare, "arithmetic": _arithmetic, "constant": _constant,
           "boolean": _boolean, "axis": _axis, "keepdims": _keepdims, "drop_call": _call,
           "term": _term, "statement": _statement, "arguments": _arguments}


def _mutable_nodes(tree: ast.Module) -> Iterator[tuple[ast.AST, ast.AST | None]]:
    """(node, parent) for every node inside a function that a mutation may touch."""

    def walk(node: ast.AST, parent: ast.AST | None) -> Iterator[tuple[ast.AST, ast.AST | None]]:
        if isinstance(node, ast.JoinedStr) or _is_docstring(node):
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    yield from walk(default, node.args)
            for statement in node.body:
                yield from walk(statement, node)
            return
        if isinstance(node, ast.arg | ast.AnnAssign):
            return
        yield node, parent
        if isinstance(node, ast.Raise):
            return  # its message is no behaviour; dropping the raise is the statement operator
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.expr_context | ast.operator | ast.cmpop
                              | ast.boolop | ast.unaryop):
                yield from walk(child, node)

    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            inner = statement.body if isinstance(statement, ast.ClassDef) else [statement]
            for node in inner:
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield from walk(node, statement)


def edits(tree: ast.Module) -> Iterator[Edit]:
    """Every edit of every operator, in source order per operator."""
    nodes = list(_mutable_nodes(tree))
    for operator in OPERATORS:
        make = _MAKERS[operator]
        for node, parent in nodes:
            yield from make(node, parent)
