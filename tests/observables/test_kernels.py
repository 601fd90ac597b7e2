"""The three evaluations of the three-Green's-function trace against a literal sum."""

import numpy as np
import pytest

from orbdiff.observables.compiled import im_green_traces
from orbdiff.observables.poles import im_green_traces_poles
from orbdiff.observables.products import im_green_traces_products


def _hermitian(rng, *shape):
    x = rng.normal(size=shape) + 1j * rng.normal(size=shape)
    return 0.5 * (x + np.conj(np.swapaxes(x, -1, -2)))


def _literal(eps, v, s, o, w, energies, gamma):
    """Im Σ_{npm} J_pn g^R_n S_nm g^A_m V_mp g^A_p with J = ½{V_j, O_c}, term by term."""
    out = np.zeros((len(energies), s.shape[1], 3, o.shape[1], 3))
    for k in range(len(eps)):
        current = 0.5 * (np.einsum("jpq,cqn->cjpn", v[k], o[k])
                         + np.einsum("cpq,jqn->cjpn", o[k], v[k]))
        for e, energy in enumerate(energies):
            g_r = 1 / (energy - eps[k] + 1j * gamma)
            g_a = np.conj(g_r)
            term = np.einsum("cjpn,n,snm,m,imp,p->sicj", current, g_r, s[k], g_a, v[k], g_a)
            out[e] += w[k] * term.imag
    return out


@pytest.mark.parametrize("kernel", [im_green_traces, im_green_traces_products,
                                    im_green_traces_poles])
def test_kernel_equals_the_literal_sum(kernel):
    rng = np.random.default_rng(3)
    n_k, n = 3, 6
    # pairwise degenerate bands (as Kramers pairs), which the compiled kernel groups
    eps = np.sort(np.repeat(rng.normal(size=(n_k, n // 2)), 2, axis=1), axis=1)
    v = _hermitian(rng, n_k, 3, n, n)
    s = _hermitian(rng, n_k, 2, n, n)
    o = _hermitian(rng, n_k, 4, n, n)
    w = np.array([1.0, 6.0, 12.0])
    energies = np.array([-0.3, 0.1, 0.8])
    expected = _literal(eps, v, s, o, w, energies, 0.2)
    got = kernel(eps, v, s, o, w, energies, 0.2)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12 * np.abs(expected).max())


def test_charge_traces_equal_the_unit_source_and_current():
    from orbdiff.observables import BandData, charge_traces

    rng = np.random.default_rng(4)
    n_k, n = 4, 6
    eps = np.sort(rng.normal(size=(n_k, n)), axis=1)
    v = _hermitian(rng, n_k, 3, n, n)
    w = np.array([1.0, 2.0, 6.0, 8.0])
    bands = BandData(eps, v, np.zeros((n_k, 0, n, n)), w)
    energies = np.array([-0.2, 0.4])
    unit = np.broadcast_to(np.eye(n, dtype=complex), (n_k, 1, n, n))
    expected = _literal(eps, v, unit, unit, w, energies, 0.3)[:, 0, :, 0, :]
    got = charge_traces(bands, energies, 0.3)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12 * np.abs(expected).max())
