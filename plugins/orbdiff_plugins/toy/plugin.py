"""Built-in plugin ``toy``: registers the ``bcc-p-toy`` model."""

from __future__ import annotations

from orbdiff.plugin import ModelRecord, hookimpl

from .model import DEFAULTS, bcc_p_toy


@hookimpl
def orbdiff_register_models():
    return [
        ModelRecord(
            name="bcc-p-toy",
            factory=bcc_p_toy,
            parameters=DEFAULTS,
            summary="bcc p-orbital toy model (Supplement Sec. IV): v_sigma, v_pi, xi in eV, a in Å",
        )
    ]
