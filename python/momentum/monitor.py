"""The stability monitor: every N steps, the sharpness of the loss by Lanczos on Hessian-vector
products, and what it means for the optimizer in use (its framework convention, momentum and the
learning rate of the schedule at that step).

Definitions (one report per measurement):

* ``sharpness`` λ: the largest eigenvalue of the Hessian H (for Adam/AdamW: of the preconditioned
  P^{-1/2}HP^{-1/2}, P = √v̂ + ε with v̂ the bias-corrected second moment, frozen — the curvature
  Adam's update sees; Cohen et al. 2022).
* ``lr_max``: the largest learning rate, in the framework's own convention and at its momentum,
  for which the recurrence of the optimizer is stable at curvature λ (the library's exact
  ``stable_lr``; optax/PyTorch heavy ball: 2(1 + β)/λ, Adam: 2(1 + β₁)/((1 − β₁)λ)).
* ``margin`` = lr / lr_max. Below 1 the top direction contracts; above 1 it grows and training
  leaves the minimum (or, in a network, settles where the sharpness is back at the edge: the edge
  of stability, Cohen et al. 2021). The monitor warns (:class:`EdgeWarning`) when it crosses 1.
* ``edge`` = λ / margin: the sharpness at which the current lr sits exactly at the edge (the
  stability of these methods depends on lr·λ only, so λ/margin is that curvature).
* ``steps_to_edge`` (Adam/AdamW): near a minimum g² ≪ v, so v decays as β₂ᵗ, P as β₂^{t/2}
  (for ε ≪ √v̂) and the preconditioned sharpness grows as β₂^{−t/2}: the margin reaches 1 after
  t = 2·ln(1/margin)/ln(1/β₂) ≈ 2·ln(edge ratio)/(1 − β₂) steps (edge ratio = 1/margin). An
  estimate: it ignores gradients refilling v, ε's floor and the bias correction's drift.
* ``batch`` B (``Monitor(batch=B)``, SGD-type conventions): the edge in mean square under
  minibatch sampling, the model of :func:`momentum.minibatch` (least squares with Gaussian features
  whose covariance has H's spectrum, B fresh samples per step). It needs H's whole spectrum, not
  just its top: the monitor takes a density by stochastic Lanczos quadrature
  (:func:`momentum.spectral_density`, ``density_probes`` × ``density_steps`` products), turns it into
  dim eigenvalues (its quantiles at (j + ½)/dim; the negative and zero ones are dropped: no noise
  comes from them in this model), puts the Lanczos top eigenvalues in place of
  the largest ones, and reports ``lr_max`` = the mean-square ``largest_stable_lr`` there, with the
  full-batch edge at the sharpness as ``lr_max_full_batch``. The density is an estimate (its
  probe error is that of Hutchinson's trace), so this edge is one too.
"""

from __future__ import annotations

import math
import numbers
import time
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np

__all__ = ["Monitor", "Report", "EdgeWarning"]

_ADAM = ("adam", "adamw")


class EdgeWarning(UserWarning):
    """The learning rate crossed the edge of stability at the measured sharpness."""


@dataclass(frozen=True)
class Report:
    """One measurement of :class:`Monitor` (module docs define each field)."""

    step: int
    lr: float
    sharpness: float
    eigenvalues: np.ndarray
    lr_max: float
    margin: float
    edge: float
    stable: bool
    steps_to_edge: Optional[float]
    matvecs: int
    seconds: float
    batch: Optional[int] = None
    lr_max_full_batch: Optional[float] = None

    def __str__(self) -> str:
        s = (
            f"step {self.step}: sharpness {self.sharpness:.6g}, lr {self.lr:.6g}, "
            f"largest stable lr {self.lr_max:.6g}"
            + (
                f" in mean square at batch {self.batch} (full batch {self.lr_max_full_batch:.6g})"
                if self.batch is not None and self.lr_max_full_batch is not None
                else ""
            )
            + f", margin {self.margin:.3f} "
            f"({'stable' if self.stable else 'past the edge'}; edge sharpness {self.edge:.6g})"
        )
        if self.steps_to_edge is not None:
            s += f", edge in ~{self.steps_to_edge:.0f} steps as v decays"
        return s


class Monitor:
    """Measures the sharpness every ``every`` steps and reports the optimizer's margin to the
    edge (module docs: definitions and the Adam onset estimate).

    ``convention`` and the hyperparameters are written as the framework writes them
    (``"optax"``: ``optax.sgd(lr, momentum, nesterov)``; ``"pytorch"``: ``torch.optim.SGD``
    with ``dampening``; ``"keras"``; ``"adam"``/``"adamw"`` with ``momentum`` = β₁, ``b2`` = β₂).
    ``lr`` is a number, a schedule (a callable step → lr, e.g. an optax schedule) or a
    sequence indexed by step. ``k`` eigenvalues are computed (the top one is the sharpness),
    ``tol`` as in :func:`momentum.lanczos`.

    Use inside a training loop (the Hessian-vector product from :func:`momentum.jax.hvp`)::

        mon = momentum.Monitor("optax", lr=schedule, momentum=0.9, every=100)
        for step in range(steps):
            params, state = train_step(params, state, batch)
            if mon.due(step):
                report = mon(step, momentum.jax.hvp(loss, params, batch))

    For Adam pass the optimizer's second moment: ``mon(step, hvp, nu=nu, count=t)`` (flat,
    as :func:`momentum.jax.adam_state` returns it from optax's state; ``count`` applies the bias
    correction v̂ = ν/(1 − β₂ᵗ)). Every report is kept in ``reports``.

    >>> import numpy as np
    >>> mon = Monitor("optax", lr=0.1, momentum=0.9)
    >>> r = mon(0, lambda v: np.array([10.0, 1.0]) * v, dim=2)
    >>> round(r.sharpness, 9), round(r.lr_max, 9), round(r.margin, 9), r.stable
    (10.0, 0.38, 0.263157895, True)
    """

    def __init__(
        self,
        convention: str = "optax",
        *,
        lr: Union[float, Callable[[int], Any], Sequence[float]],
        momentum: Optional[float] = None,
        nesterov: bool = False,
        dampening: Optional[float] = None,
        b2: float = 0.999,
        eps: float = 1e-8,
        every: int = 1,
        k: int = 1,
        tol: Optional[float] = None,
        seed: int = 0,
        max_matvecs: int = 5000,
        warn: bool = True,
        batch: Optional[int] = None,
        density_probes: int = 10,
        density_steps: int = 50,
    ) -> None:
        from . import _count, _real

        if not isinstance(convention, str):
            raise ValueError(f"convention must be a string, got {convention!r}")
        self.convention = convention.lower()
        self.adam = self.convention in _ADAM
        if self.adam and momentum is None:
            momentum = 0.9
        self.momentum = None if momentum is None else _real(momentum, "momentum")
        self.nesterov = bool(nesterov)
        self.dampening = None if dampening is None else _real(dampening, "dampening")
        self.b2 = _real(b2, "b2")
        if self.adam and not 0.0 < self.b2 < 1.0:
            raise ValueError(f"b2 must be in (0, 1), got {self.b2}")
        self.eps = _real(eps, "eps")
        if self.eps < 0:
            raise ValueError(f"eps must be >= 0, got {self.eps}")
        self.every = _count(every, "every")
        if self.every == 0:
            raise ValueError("every must be >= 1")
        self.k = _count(k, "k")
        self.tol = tol
        self.seed = _count(seed, "seed")
        self.max_matvecs = _count(max_matvecs, "max_matvecs")
        self.warn = bool(warn)
        self.batch = None if batch is None else _count(batch, "batch")
        if self.batch == 0:
            raise ValueError("batch must be >= 1")
        if self.batch is not None and self.adam:
            raise ValueError("batch: the minibatch model is for SGD-type optimizers (Adam's preconditioner changes what is sampled)")
        self.density_probes = _count(density_probes, "density_probes")
        self.density_steps = _count(density_steps, "density_steps")
        if self.batch is not None and (self.density_probes == 0 or self.density_steps == 0):
            raise ValueError("density_probes and density_steps must be >= 1")
        self._lr = lr
        self.reports: list = []
        self._past = False
        # the setting must be one the framework accepts: checked now, at the first lr
        self._method_at(self.lr_at(0))

    def lr_at(self, step: int) -> float:
        """The learning rate of the schedule at ``step``."""
        lr = self._lr
        if callable(lr):
            v = lr(step)
        elif isinstance(lr, numbers.Real) and not isinstance(lr, bool):
            v = lr
        else:
            seq = np.asarray(lr, dtype=np.float64).reshape(-1)
            if seq.size == 0:
                raise ValueError("lr is an empty sequence")
            v = seq[min(step, seq.size - 1)]
        v = float(np.asarray(v))
        if not (math.isfinite(v) and v > 0):
            raise ValueError(f"the learning rate at step {step} must be finite and > 0, got {v}")
        return v

    def due(self, step: int) -> bool:
        """Whether ``step`` is a measuring step (every ``every`` steps, from 0)."""
        return step % self.every == 0

    def _method_at(self, lr: float) -> Any:
        from . import from_framework

        return from_framework(
            self.convention, lr, momentum=self.momentum, nesterov=self.nesterov, dampening=self.dampening
        )

    def lr_max(self, sharpness: float, lr: float) -> float:
        """The largest stable learning rate at curvature ``sharpness`` (the library's
        ``stable_lr`` on the one-point spectrum, at the momentum held); ``inf`` when λ ≤ 0."""
        from . import stable_lr

        if not sharpness > 0:
            return math.inf
        interval = stable_lr(self._method_at(lr), [sharpness])
        if interval is None:
            return 0.0
        return float(interval[1])

    def minibatch_eigenvalues(self, op: Callable[[np.ndarray], np.ndarray], n: int, top: np.ndarray) -> np.ndarray:
        """H's spectrum for the minibatch model (module docs): the SLQ density made into ``n``
        eigenvalues, its largest replaced by the Lanczos values ``top``."""
        from . import spectral_density

        nodes, weights = spectral_density(
            op, n, probes=self.density_probes, steps=self.density_steps, seed=self.seed
        )
        nodes, weights = np.asarray(nodes, dtype=np.float64), np.asarray(weights, dtype=np.float64)
        order = np.argsort(nodes, kind="stable")
        cdf = np.cumsum(weights[order])
        cdf /= cdf[-1]
        at = np.minimum(np.searchsorted(cdf, (np.arange(n) + 0.5) / n), order.size - 1)
        eig = nodes[order][at]
        eig = eig[eig > 0]
        top = np.sort(np.asarray(top, dtype=np.float64)[np.asarray(top) > 0])
        eig = np.concatenate([eig[: max(eig.size - top.size, 0)], top])
        if eig.size == 0:
            raise ValueError("no positive curvature: the minibatch model needs a positive spectrum")
        return eig

    def __call__(
        self,
        step: int,
        hvp: Callable[[np.ndarray], np.ndarray],
        *,
        nu: Any = None,
        count: Optional[int] = None,
        dim: Optional[int] = None,
    ) -> Optional[Report]:
        """Measure at ``step`` (None when the step is not :meth:`due`): the sharpness from
        ``hvp`` (for Adam preconditioned by ``nu``), the largest stable lr of the optimizer at
        the schedule's lr, the margin and a warning when it crosses 1."""
        from . import _count, _real_array, lanczos

        step = _count(step, "step")
        if not self.due(step):
            return None
        t0 = time.perf_counter()
        lr = self.lr_at(step)
        op = hvp
        n = dim if dim is not None else getattr(hvp, "dim", None)
        tol = self.tol
        if tol is None and getattr(hvp, "dtype", None) is not None and np.dtype(hvp.dtype).itemsize <= 4:
            tol = 1e-5
        if self.adam:
            if nu is None:
                raise ValueError("Adam's sharpness is preconditioned: pass nu (the second moment)")
            v = _real_array(nu, "nu")
            if np.any(v < 0):
                raise ValueError("nu is a second moment: it must be >= 0")
            if count is not None:
                c = _count(count, "count")
                if c == 0:
                    raise ValueError("count is the number of updates so far (>= 1)")
                v = v / (1.0 - self.b2**c)
            p = np.sqrt(v) + self.eps
            if np.any(p <= 0):
                raise ValueError("√v + eps is 0 somewhere: give eps > 0")
            d = 1.0 / np.sqrt(p)
            if n is not None and int(n) != d.size:
                raise ValueError(f"nu has {d.size} entries for a Hessian of dimension {n}")
            n = d.size

            def op(x: np.ndarray) -> np.ndarray:
                return d * np.asarray(hvp(d * x), dtype=np.float64).reshape(-1)

        if n is None:
            raise ValueError("give dim (or an hvp with a .dim, as momentum.jax.hvp returns)")
        r = lanczos(
            op,
            n,
            k=min(self.k, int(n)),
            tol=tol,
            seed=self.seed,
            max_matvecs=self.max_matvecs,
            full_output=True,
        )
        if not r.converged:
            raise RuntimeError(f"step {step}: Lanczos did not converge in {r.matvecs} products; raise max_matvecs or loosen tol")
        sharpness = float(r.values[0])
        lr_max = self.lr_max(sharpness, lr)
        full = None
        if self.batch is not None:
            from . import minibatch

            eig = self.minibatch_eigenvalues(op, int(n), r.values)
            mb = minibatch(self._method_at(lr), eig, self.batch)
            full = lr_max
            edge_ms = mb["largest_stable_lr"]
            lr_max = min(lr_max, 0.0 if edge_ms is None else float(edge_ms))
        margin = lr / lr_max if lr_max > 0 else math.inf
        edge = sharpness / margin if margin > 0 else math.inf
        steps = None
        if self.adam:
            steps = 0.0 if margin >= 1 else 2.0 * math.log(1.0 / margin) / -math.log(self.b2)
        rep = Report(
            step=step,
            lr=lr,
            sharpness=sharpness,
            eigenvalues=r.values,
            lr_max=lr_max,
            margin=margin,
            edge=edge,
            stable=margin < 1,
            steps_to_edge=steps,
            matvecs=r.matvecs,
            seconds=time.perf_counter() - t0,
            batch=self.batch,
            lr_max_full_batch=full,
        )
        self.reports.append(rep)
        past = margin >= 1
        if past and not self._past and self.warn:
            warnings.warn(f"past the edge of stability: {rep}", EdgeWarning, stacklevel=2)
        self._past = past
        return rep
