"""The independent route: everything from the characteristic polynomial z² − c₁z + c₀ in NumPy,
with c₁ = 1 + β − α(1 + γ)λ, c₀ = β − αγλ written out from (α, β, γ) (not read back from the
package), and the scalar recurrence iterated directly."""

from __future__ import annotations

import numpy as np


def coefficients(step, momentum, lookahead, lam):
    lam = np.asarray(lam, dtype=float)
    c1 = 1.0 + momentum - step * (1.0 + lookahead) * lam
    c0 = momentum - step * lookahead * lam
    return c1, c0


def roots(c1, c0):
    """Both roots by the quadratic formula in complex arithmetic, larger modulus first."""
    d = np.sqrt(np.asarray(c1 * c1 - 4.0 * c0, dtype=complex))
    z1, z2 = (c1 + d) / 2.0, (c1 - d) / 2.0
    swap = np.abs(z2) > np.abs(z1)
    return np.where(swap, z2, z1), np.where(swap, z1, z2)


def radius(step, momentum, lookahead, lam):
    z1, _ = roots(*coefficients(step, momentum, lookahead, lam))
    return np.abs(z1)


def regime(c1, c0):
    """Regime names where the discriminant is clearly away from 0 (else None)."""
    disc = c1 * c1 - 4.0 * c0
    out = np.full(np.shape(c1), None, dtype=object)
    z1, _ = roots(c1, c0)
    out[disc < 0] = "underdamped"
    real = disc > 0
    out[real & (z1.real > 0)] = "overdamped"
    out[real & (z1.real < 0)] = "alternating"
    return out


def run_scalar(step, momentum, lookahead, lam, n):
    """e_N of e⁺ = e + β(e − e⁻) − αλ(e + γ(e − e⁻)) from rest (e₋₁ = e₀ = 1), for each λ."""
    lam = np.asarray(lam, dtype=float)
    prev = np.ones_like(lam)
    cur = np.ones_like(lam)
    for _ in range(n):
        look = cur + lookahead * (cur - prev)
        prev, cur = cur, cur + momentum * (cur - prev) - step * lam * look
    return cur
