"""The example plugin passes orbdiff's contract checks and computes sensible numbers."""

import numpy as np
from orbdiff_example_plugin import plugin

import orbdiff
from orbdiff.testing import check_plugin


def test_contract():
    assert sorted(check_plugin(plugin)) == [
        "models:sc-s-band", "parameter_sets:Nb-2atom", "parameter_sets:Nb-2shell"]


def test_simple_cubic_band_edges():
    # ε(k) = 2t (cos kx a + cos ky a + cos kz a): at Γ 6t, at R = (π/a)(1,1,1) −6t
    model = plugin.simple_cubic_s_band(t=-0.5, a=3.0)
    gamma_point = np.linalg.eigvalsh(model.hamiltonian(np.zeros((1, 3))))[0]
    corner = np.linalg.eigvalsh(model.hamiltonian(np.full((1, 3), np.pi / 3.0)))[0]
    np.testing.assert_allclose(gamma_point, [-3.0, -3.0])
    np.testing.assert_allclose(corner, [3.0, 3.0])


def test_two_shell_set_matches_two_shells_of_the_builtin_nb():
    mine = plugin.load_nb_2shell().build_model(soc_scale=1)
    builtin = orbdiff.load_material("Nb", shells=2)
    k = np.array([[0.2, -0.4, 0.9]])
    np.testing.assert_allclose(mine.hamiltonian(k), builtin.hamiltonian(k), atol=1e-12)


def test_two_atom_cell_folds_the_one_atom_bands():
    # the cubic cell's bands at k are the bcc bands at k and at k + (2π/a)(1, 0, 0)
    one_atom = plugin.load_nb_2shell()
    primitive = one_atom.build_model(soc_scale=0)
    cubic = plugin.load_nb_two_atom_cell().build_model(soc_scale=0)
    k = np.array([[0.2, -0.4, 0.9], [0.05, 0.3, -0.7]])
    shift = np.array([2 * np.pi / one_atom.lattice_constant, 0.0, 0.0])
    folded = np.sort(np.hstack([np.linalg.eigvalsh(primitive.hamiltonian(k)),
                                np.linalg.eigvalsh(primitive.hamiltonian(k + shift))]), axis=1)
    np.testing.assert_allclose(np.linalg.eigvalsh(cubic.hamiltonian(k)), folded, atol=1e-10)
