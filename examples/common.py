"""Helpers shared by the example scripts: saved results and plot style."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib

import orbdiff
from orbdiff.progress import Progress
from orbdiff_plugins.diffusion import DiffusivityResult

#: Readable figures: legends and mathtext sub/superscripts at a size one can read.
STYLE = {"font.size": 11, "legend.fontsize": 11, "axes.titlesize": 11,
         "mathtext.fontset": "dejavusans"}
#: η_{s→s}, η_{l→l}, η_{s→l}, η_{l→s} in mathtext, by the result's swapping keys.
ETA = {key: rf"$\eta_{{{key[0]}\to {key[-1]}}}$" for key in ("s->s", "l->l", "s->l", "l->s")}
#: The same in plain text (tables, summaries).
ETA_TEXT = {key: f"η_{{{key[0]}→{key[-1]}}}" for key in ETA}


def use_style() -> None:
    """Apply :data:`STYLE` to the figures made afterwards."""
    matplotlib.rcParams.update(STYLE)


def legend_above_data(ax, ncol: int = 2, headroom: float = 0.45) -> None:
    """Put the legend in empty space added above the curves, so it covers none."""
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + headroom * (high - low))
    ax.legend(loc="upper center", ncol=ncol, frameon=False)


class SavedResults:
    """Results kept in a folder, one JSON file per case, computed only when missing.

    Every case is written as soon as it is computed, so an interrupted run loses
    nothing and a rerun only computes what is missing; progress (on standard error)
    counts the cases computed and those reused from the folder.

    Parameters
    ----------
    folder : Path
        Where the JSON files are.
    total : int
        Number of cases the script will ask for.
    description : str
        Name of the run in the progress lines.
    registry : orbdiff.Registry, optional
        Registry that reads the files back (:func:`orbdiff.load_result`).
    """

    def __init__(self, folder: Path, total: int, description: str,
                 registry: orbdiff.Registry | None = None) -> None:
        self.folder = Path(folder)
        self.progress = Progress(total, description)
        self.registry = registry

    def get(self, name: str, compute: Callable[[], DiffusivityResult]) -> DiffusivityResult:
        """The result saved as ``folder/name``, computed and saved first if missing."""
        path = self.folder / name
        if path.exists():
            result = orbdiff.load_result(path, registry=self.registry)
            self.progress.advance(reused=True)
            return result
        result = compute()
        path.parent.mkdir(parents=True, exist_ok=True)
        result.save(path)
        self.progress.advance()
        return result

    def report(self) -> str:
        """One line saying how many cases were computed and how many reused."""
        self.progress.close()
        done = self.progress
        if not done.reused:
            return f"Computed all {done.computed} cases; saved in {self.folder}/."
        return (f"Reused {done.reused} of {done.total} cases already saved in {self.folder}/ "
                f"and computed {done.computed}; delete those files to recompute them.")
