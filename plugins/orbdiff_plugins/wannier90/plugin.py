"""Built-in plugin ``wannier90``: registers the ``wannier90`` model."""

from __future__ import annotations

from pathlib import Path

from orbdiff.plugin import ModelRecord, hookimpl

from .model import wannier90_model

#: A bundled bcc s-p model in Wannier90's format (see ``example/make_example.py``).
EXAMPLE = Path(__file__).with_name("example") / "bcc_sp"

#: Parameters of the ``wannier90`` model and their defaults.
DEFAULTS = {"seedname": str(EXAMPLE), "spinor_ordering": "interleaved", "xi": 0.0,
            "centre_tolerance": 1.0}


@hookimpl
def orbdiff_register_models():
    return [
        ModelRecord(
            name="wannier90",
            factory=wannier90_model,
            parameters=DEFAULTS,
            summary="Wannier90 Hamiltonian: seedname (path without extension; reads .win "
                    "and _hr.dat or _tb.dat; default: a bundled bcc s-p example), "
                    "spinor_ordering interleaved|blocks, xi (eV, on-site σ·L added to a "
                    "spinless model)",
        )
    ]
