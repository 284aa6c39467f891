"""No SQL built from values: every ``execute``/``executemany``/``executescript`` call in
src/ gets SQL made of string constants, with values bound as parameters. The only
composition allowed is of identifiers that a human vetted, listed in VETTED with the
reason each is safe; a new f-string, ``%``, ``.format`` or ``+`` with anything else fails
here until it is made a parameter or reviewed and listed.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "factledger"
SQL_METHODS = frozenset({"execute", "executemany", "executescript"})

# (file under src/factledger, expression as written) -> why it is safe.
VETTED: dict[tuple[str, str], str] = {
    ("store/sqlite.py", "table"): "a record table name, checked against the constant RECORD_TABLES",
    ("store/sqlite.py", "_ARTICLE_COLUMNS"): "a constant list of column names",
    ("store/sqlite.py", "where"): "one of two constant WHERE clauses",
    ("store/sqlite.py", "self._ddl(statement)"): "DDL of the constant migrations (store/migrations.py), "
    "translated per dialect",
    ("store/db.py", "sql"): "Database.execute passes its caller's SQL on; the callers are scanned here",
    ("store/db.py", "to_pyformat(sql)"): "the caller's SQL with ? turned into %s; the callers are scanned here",
    ("store/db.py", "BUSY_TIMEOUT_MS"): "a constant int, formatted with :d (PRAGMA/SET take no parameters)",
    ("store/pgtemp.py", "prefix"): "a database name prefix given by the code (tests), never by input",
    ("store/pgtemp.py", "uuid.uuid4().hex[:12]"): "random hex digits",
    ("outputs/views.py", "marks"): "only '?' placeholders, one per bound id",
    ("outputs/views.py", "table"): "a record table name from a constant tuple in the same function",
    ("outputs/views.py", "where"): "a constant WHERE clause of the caller with ? placeholders (callers pass "
    "their values as bound params)",
    ("evaluate/ledger.py", "table"): "a record table name, a string literal at every call site",
    ("resolve/api.py", "_current_sql('a', include_superseded)"): "a constant clause on a fixed table alias",
    ("resolve/api.py", "_current_sql('b', include_superseded)"): "a constant clause on a fixed table alias",
    ("resolve/api.py", "column"): "a column name from a constant tuple in the same loop; its value is bound",
    ("resolve/api.py", "{'statement': 'statements', 'event': 'events', 'claim': 'claims'}[kind]"):
    "a table name looked up in a constant mapping (a KeyError for anything else)",
    ("resolve/events.py", "_COLUMNS"): "a constant list of column names",
    ("resolve/events.py", "', '.join('?' * 17)"): "only '?' placeholders",
    ("resolve/ingest.py", "', '.join(_METADATA)"): "a constant list of column names",
    ("resolve/ingest.py", "', '.join((f'{c} = ?' for c in _METADATA))"): "constant column names, each with a ? placeholder",
    ("resolve/ingest.py", "table"): "a table name from the constant _DERIVED",
    ("resolve/ingest.py", "column"): "a column name from the constant _DERIVED",
    ("resolve/statements.py", "' AND '.join(('LOWER(r.json) LIKE ?' for _ in keys))"): "only a constant "
    "condition with a ? placeholder, once per bound key",
    ("resolve/statements.py", "table"): "a table name from the constant _TARGET_TABLES",
    ("resolve/statements.py", "', '.join('?' * len(stances))"): "only '?' placeholders, one per bound stance",
}


def _func_of(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    """Each node -> the function (or module) that contains it."""
    parents: dict[ast.AST, ast.AST] = {}

    def visit(node: ast.AST, scope: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            parents[child] = scope
            visit(child, child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else scope)

    visit(tree, tree)
    return parents


def _assigned(scope: ast.AST, name: str) -> list[ast.expr] | None:
    """Values assigned to ``name`` inside ``scope`` (None when it is not assigned there)."""
    values: list[ast.expr] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            values.append(node.value)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name) \
                and node.target.id == name and node.value is not None:
            values.append(node.value)
    return values or None


def unsafe_parts(expr: ast.expr, *, scope: ast.AST, file: str, depth: int = 0) -> list[str]:
    """The parts of an SQL expression that are neither constants nor vetted identifiers."""
    if depth > 8:
        return [ast.unparse(expr)]
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return []
    if (file, ast.unparse(expr)) in VETTED:
        return []
    if isinstance(expr, ast.JoinedStr):
        out: list[str] = []
        for part in expr.values:
            if isinstance(part, ast.FormattedValue):
                out += unsafe_parts(part.value, scope=scope, file=file, depth=depth + 1)
        return out
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return (unsafe_parts(expr.left, scope=scope, file=file, depth=depth + 1)
                + unsafe_parts(expr.right, scope=scope, file=file, depth=depth + 1))
    if isinstance(expr, ast.IfExp):
        return (unsafe_parts(expr.body, scope=scope, file=file, depth=depth + 1)
                + unsafe_parts(expr.orelse, scope=scope, file=file, depth=depth + 1))
    if isinstance(expr, ast.Name):
        values = _assigned(scope, expr.id)
        if values is None:  # a parameter, a loop variable or a global: only when vetted
            return [expr.id]
        out = []
        for value in values:
            out += unsafe_parts(value, scope=scope, file=file, depth=depth + 1)
        return out
    return [ast.unparse(expr)]  # %, .format(), a call, a subscript...


def scan_source(source: str, file: str) -> list[str]:
    tree = ast.parse(source)
    scopes = _func_of(tree)
    problems = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_METHODS):
            continue
        sql = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg in ("sql", "query")), None)
        if sql is None:
            continue
        scope = scopes.get(node, tree)
        while not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
            scope = scopes.get(scope, tree)
        for part in unsafe_parts(sql, scope=scope, file=file):
            problems.append(f"{file}:{node.lineno}: SQL built from {part!r}")
    return problems


def test_no_sql_is_built_from_values():
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        problems += scan_source(path.read_text(encoding="utf-8"), path.relative_to(SRC).as_posix())
    assert problems == [], "bind values as parameters (?), or vet the identifier in VETTED:\n" + "\n".join(problems)


def test_every_vetted_entry_is_still_used():
    """A vetted composition that no longer exists is removed from the list."""
    used = set()
    for file, expr in VETTED:
        source = (SRC / file).read_text(encoding="utf-8")
        # As written, or as ast.unparse writes it (the scanner's key: quotes normalised).
        if expr in source or expr in {ast.unparse(n) for n in ast.walk(ast.parse(source)) if isinstance(n, ast.expr)}:
            used.add((file, expr))
    assert used == set(VETTED)


def test_the_scanner_flags_values_in_sql():
    bad = '''
def f(conn, value, name, table):
    conn.execute(f"SELECT * FROM t WHERE x = {value}")
    conn.execute("SELECT * FROM t WHERE x = '%s'" % value)
    conn.execute("SELECT * FROM t WHERE x = '{}'".format(value))
    conn.execute("SELECT * FROM t WHERE name = '" + name + "'")
    q = "SELECT * FROM t WHERE x = "
    q += value
    conn.execute(q)
    conn.executemany(f"INSERT INTO {table} VALUES (?)", [(1,)])
'''
    problems = scan_source(bad, "x.py")
    assert [p.split(":")[1] for p in problems] == ["3", "4", "5", "6", "9", "10"]
    good = '''
def f(conn, value):
    sql = "SELECT * FROM t WHERE x = ?"
    sql += " AND y = ?" if value else ""
    conn.execute(sql, (value, value))
    conn.execute("SELECT " "1")
'''
    assert scan_source(good, "x.py") == []
