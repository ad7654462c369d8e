"""YAML loading and pydantic validation with errors that name the file, the line and the field path."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from evaluation.errors import InputError, Problem
from evaluation.settings import MAX_CONFIG_BYTES

__all__ = ["line_of", "load_model", "load_model_with_tree", "load_yaml", "problems_from_validation"]

M = TypeVar("M", bound=BaseModel)

#: Aliases let a tiny YAML file expand into a huge structure; no config of ours needs that many nodes.
MAX_NODES = 200_000


def load_yaml(path: Path, error_cls: type[InputError] = InputError) -> Any:
    """Parse a YAML file (YAML 1.2, duplicate keys refused) and return its round-trip tree."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise error_cls(Problem("fichier introuvable ou illisible", fichier=path,
                                conseil=f"vérifiez le chemin ({exc.strerror})")) from exc
    if size > MAX_CONFIG_BYTES:
        raise error_cls(Problem(f"fichier trop volumineux ({size} octets, limite {MAX_CONFIG_BYTES})",
                                fichier=path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error_cls(Problem("le fichier n'est pas encodé en UTF-8", fichier=path,
                                conseil="enregistrez-le en UTF-8")) from exc
    yaml = YAML(typ="rt")
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise error_cls(Problem(f"syntaxe YAML invalide : {exc.problem}", fichier=path, ligne=line,
                                conseil="vérifiez l'indentation, les deux-points et les guillemets")) from exc
    except YAMLError as exc:
        raise error_cls(Problem(f"syntaxe YAML invalide : {exc}", fichier=path)) from exc
    _count_nodes(tree, path, error_cls)
    return tree


def _count_nodes(tree: Any, path: Path, error_cls: type[InputError]) -> None:
    count = 0
    stack = [tree]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise error_cls(Problem("structure YAML trop grande (alias imbriqués ?)", fichier=path,
                                    conseil="n'utilisez pas d'ancres ni d'alias YAML"))
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, int) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _line_of(tree: Any, loc: tuple[int | str, ...]) -> int | None:
    """Best line (1-based) for a pydantic error location in the ruamel tree."""
    node = tree
    line = node.lc.line + 1 if isinstance(node, CommentedMap | CommentedSeq) else None
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedMap) and isinstance(key, str) and key.isdigit() and int(key) in node:
            line = node.lc.key(int(key))[0] + 1
            node = node[int(key)]
        # Otherwise the key is missing or is a pydantic tag (union member name): stay on this node.
    return line


_MESSAGES: dict[str, str] = {
    "missing": "champ obligatoire absent",
    "extra_forbidden": "champ inconnu (faute de frappe ?)",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "decimal_parsing": "doit être un nombre",
    "decimal_type": "doit être un nombre",
    "float_parsing": "doit être un nombre",
    "float_type": "doit être un nombre",
    "string_type": "doit être un texte",
    "bool_parsing": "doit valoir true ou false",
    "bool_type": "doit valoir true ou false",
    "dict_type": "doit être un ensemble de champs « clé: valeur »",
    "model_type": "doit être un ensemble de champs « clé: valeur »",
    "model_attributes_type": "doit être un ensemble de champs « clé: valeur »",
    "list_type": "doit être une liste",
    "string_too_short": "ne doit pas être vide",
    "string_too_long": "texte trop long (au plus {max_length} caractères)",
    "too_short": "doit contenir au moins {min_length} élément(s)",
    "too_long": "doit contenir au plus {max_length} élément(s)",
    "greater_than": "doit être strictement supérieur à {gt}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than": "doit être strictement inférieur à {lt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "literal_error": "valeur non reconnue : attendu {expected}",
    "enum": "valeur non reconnue : attendu {expected}",
    "string_pattern_mismatch": "format invalide : utilisez des minuscules sans accent, chiffres, « _ » ou « - »",
    "decimal_max_places": "au plus {decimal_places} décimales",
}


_ADVICE: dict[str, str] = {
    "missing": "ajoutez ce champ",
    "extra_forbidden": "supprimez ce champ ou corrigez son nom (les noms sont en minuscules, sans accent)",
    "literal_error": "choisissez l'une des valeurs attendues",
    "enum": "choisissez l'une des valeurs attendues",
    "int_parsing": "écrivez un nombre entier, sans guillemets",
    "decimal_parsing": "écrivez un nombre avec un point décimal (12.5), sans espace ni symbole",
    "float_parsing": "écrivez un nombre avec un point décimal (12.5), sans espace ni symbole",
    "string_pattern_mismatch": "exemple d'identifiant valide : emballages_dechets",
    "list_type": "écrivez une liste : [a, b] ou une ligne « - » par élément",
    "dict_type": "écrivez des lignes « cle: valeur » indentées sous ce champ",
    "model_type": "écrivez des lignes « cle: valeur » indentées sous ce champ",
}


def _french(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    template = _MESSAGES.get(kind)
    if template is None:
        return str(error["msg"])
    if "expected" in ctx:
        ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", " ou ")}
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError):
        message = template
    if kind not in ("missing", "extra_forbidden") and "input" in error:
        shown = repr(error["input"])
        if len(shown) > 60:
            shown = shown[:57] + "..."
        if not isinstance(error["input"], dict | list):
            message += f" (trouvé : {shown})"
    return message


def problems_from_validation(exc: ValidationError, path: Path, tree: Any) -> list[Problem]:
    """Turn a pydantic ValidationError into located French problems."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        fields = [str(k) for k in loc if not (isinstance(k, str) and k[:1].isupper())]
        problems.append(Problem(_french(error), fichier=path, ligne=_line_of(tree, loc),
                                champ=" -> ".join(fields) if fields else None,
                                conseil=_ADVICE.get(error["type"])))
    return sorted(problems, key=lambda p: p.ligne or 0)


def load_model(model: type[M], path: Path, error_cls: type[InputError] = InputError,
               context: dict[str, Any] | None = None) -> M:
    """Load a YAML file into `model`, raising `error_cls` with every problem located."""
    return load_model_with_tree(model, path, error_cls, context)[0]


def load_model_with_tree(model: type[M], path: Path, error_cls: type[InputError] = InputError,
                         context: dict[str, Any] | None = None) -> tuple[M, Any]:
    """Like `load_model`, also returning the YAML tree so callers can locate later problems."""
    tree = load_yaml(path, error_cls)
    if not isinstance(tree, dict):
        raise error_cls(Problem("le fichier doit contenir des champs « clé: valeur »", fichier=path, ligne=1))
    try:
        return model.model_validate(_plain(tree), context=context), tree
    except ValidationError as exc:
        raise error_cls(problems_from_validation(exc, path, tree)) from exc


def line_of(tree: Any, *loc: int | str) -> int | None:
    """Line (1-based) of a field path in a tree returned by `load_yaml`."""
    return _line_of(tree, loc)
