"""Labels of the spin/orbital tensor: the layout every observable and plugin shares.

The full tensor is indexed ``[3·source op + i, 3·current op + j]`` with the operators
in the order σx, σy, σz, Lx, Ly, Lz and the directions x, y, z (DESIGN §3, JSON contract).
"""

from __future__ import annotations

from ..errors import invalid

__all__ = ["DIRECTIONS", "OPERATORS", "component_index"]

#: Angular-momentum operators of the tensor, in row/column order.
OPERATORS = ("sx", "sy", "sz", "lx", "ly", "lz")
#: Gradient and current directions.
DIRECTIONS = ("x", "y", "z")


def component_index(label: str) -> int:
    """Row/column of ``"sx x"`` (or ``"s_x x"``) in the 18×18 tensor."""
    parts = label.replace("_", "").split()
    if len(parts) != 2 or parts[0] not in OPERATORS or parts[1] not in DIRECTIONS:
        raise invalid("component", label, "'<op> <dir>' with op in sx, sy, sz, lx, ly, lz "
                                          "and dir in x, y, z, e.g. 'sx x'")
    return 3 * OPERATORS.index(parts[0]) + DIRECTIONS.index(parts[1])
