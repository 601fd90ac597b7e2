"""Supplement Fig. 5(b): spin diffusivities versus the magnetization angle."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from .sweep import PrecessionResult


def plot_precession(result: PrecessionResult, path, scales: Mapping[float, float] | None = None,
                    title: str = "") -> None:
    """D^{s_x x}_{s_x x} (red) and D^{s_z x}_{s_z x} (blue) vs θ, one line style per J.

    ``scales`` multiplies the curves of some J (as the paper multiplies J = 1 by 100).
    """
    scales = dict(scales or {})
    styles = ["-", "--", ":", "-."]
    fig, ax = plt.subplots(figsize=(9, 4.8), constrained_layout=True)
    sx, sz = result.D("sx x", "sx x"), result.D("sz x", "sz x")
    for n, j in enumerate(result.exchange):
        factor = scales.get(float(j), 1.0)
        suffix = f" ×{factor:g}" if factor != 1 else ""
        style = styles[n % len(styles)]
        ax.plot(result.angles, factor * sx[n], style, color="red",
                label=rf"$D^{{s_x x}}_{{s_x x}}$, J = {j:g} eV{suffix}")
        ax.plot(result.angles, factor * sz[n], style, color="blue",
                label=rf"$D^{{s_z x}}_{{s_z x}}$, J = {j:g} eV{suffix}")
    ax.axhline(0, color="0.8", lw=0.5)
    ax.set(xlabel="θ of m in the x–z plane (degrees, 0 = +z)",
           ylabel="diffusivity (S/m)", title=title, xlim=(result.angles[0], result.angles[-1]))
    # beside the axes: with several J the curves fill the whole panel
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=10, frameon=False)
    fig.savefig(path, dpi=120)
    plt.close(fig)
