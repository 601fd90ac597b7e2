"""Human messages for JSON Schema errors of parameter files: field, what was found, expected."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import ValidationError

__all__ = ["dotted", "explain", "reading_order"]

_JSON_TYPES = {
    "number": "a number",
    "integer": "an integer",
    "string": "a string",
    "object": "an object {...}",
    "array": "a list [...]",
    "null": "null",
    "boolean": "true or false",
}


def dotted(where: tuple | list) -> str:
    """``("shells", 1, "integrals", "pps")`` -> ``shells[1].integrals.pps``."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "(top level)"


def reading_order(data: Any, error: ValidationError) -> tuple[int, ...]:
    """Position of the error's field in the file: errors are reported first-come."""
    order, node = [], data
    for part in error.absolute_path:
        if isinstance(node, dict):
            order.append(list(node).index(part))
        else:
            order.append(part)
        node = node[part]
    return tuple(order)


def explain(error: ValidationError, root: dict[str, Any]) -> tuple[str, str, str]:
    """(field path, what was found, what the schema expects) for one schema error."""
    where = list(error.absolute_path)
    kind, rule, schema = error.validator, error.validator_value, error.schema
    if kind == "required":
        missing = next(key for key in rule if key not in error.instance)
        spec = schema.get("properties", {}).get(missing)
        if spec is None and not where:  # a version's required list: the field is top-level
            spec = root["properties"].get(missing, {})
        wanted = _resolve(spec or {}, root)
        return dotted([*where, missing]), "missing", _expected(wanted)
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = next(key for key in error.instance if key not in allowed)
        return (dotted([*where, extra]), f"unknown field {extra!r}",
                f"only the fields {', '.join(allowed)}")
    if kind == "not":
        return dotted(where), f"unknown field {where[-1]!r}", schema.get(
            "description", "no such field")
    if kind in ("minItems", "maxItems"):
        low, high = schema.get("minItems", 0), schema.get("maxItems")
        count = f"{low} to {high}" if high is not None else f"at least {low}"
        return dotted(where), _got(error.instance), f"{count} entries"
    return dotted(where), _got(error.instance), _expected(_resolve(schema, root))


def _got(value: Any) -> str:
    """What the file holds, in JSON spelling and short."""
    if isinstance(value, list):
        return f"got a list of {len(value)} entries"
    if isinstance(value, dict):
        return "got an object {...}"
    text = json.dumps(value, ensure_ascii=False)
    return f"got {text if len(text) <= 60 else text[:57] + '...'}"


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Follow local ``#/$defs/...`` references, keeping the outer description."""
    while "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _expected(schema: dict[str, Any]) -> str:
    """A short human description of what a (sub)schema accepts."""
    if "const" in schema:
        form = f"exactly {json.dumps(schema['const'], ensure_ascii=False)}"
    elif "enum" in schema:
        form = "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    else:
        form = _typed_form(schema)
    description = schema.get("description")
    return f"{form} ({description})" if description else form


def _typed_form(schema: dict[str, Any]) -> str:
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    nullable = "null" in types and len(types) > 1
    form = " or ".join(_JSON_TYPES.get(t, t) for t in types if not nullable or t != "null")
    bounds = [f"{sign} {schema[key]}" for key, sign in (
        ("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<"),
    ) if key in schema]
    if bounds:
        form += " " + " and ".join(bounds)
    if "pattern" in schema:
        form += f" matching {schema['pattern']}"
    if schema.get("minLength"):
        form = f"a non-empty {form.removeprefix('a ')}"
    if "required" in schema:
        form += " with the fields " + ", ".join(schema["required"])
    return (form or "a value") + (" or null" if nullable else "")
