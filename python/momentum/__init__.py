"""Stability theory of momentum optimizers on quadratics, from Python.

On f(x) = ½(x − x*)ᵀH(x − x*) every two-step method

    x⁺ = x + β(x − x⁻) − α∇f(x + γ(x − x⁻))

(gradient descent, heavy ball, Nesterov, triple momentum) splits, in H's eigenbasis, into one
scalar recurrence per curvature λ: e⁺ = c₁(λ)e − c₀(λ)e⁻ with c₁ = 1 + β − α(1 + γ)λ and
c₀ = β − αγλ. This package is the Rust library ``momentum`` (the same engine as the ``momentum``
command line tool) with NumPy arrays in and out.

    >>> import momentum
    >>> m = momentum.from_framework("pytorch", lr=0.1, momentum=0.9)
    >>> momentum.worst_case(m, (0.1, 10.0)).stable
    True
    >>> a = momentum.analyze(m, [0.1, 1.0, 10.0])       # NumPy arrays, one entry per λ
    >>> best = momentum.tune(kappa=100)[1]              # Polyak's heavy ball
    >>> best.name, round(best.rate, 6), best.framework_args["momentum"] > 0.6
    ('heavy_ball', 0.818182, True)

Spectra are given as a tuple ``(mu, L)`` (the interval [μ, L]) or as any 1-D array-like of
eigenvalues (a list, a NumPy array). Bad input raises ``ValueError`` with the library's message.
"""

from __future__ import annotations

import json
import numbers
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _native
from ._native import Method, Spectrum, from_framework

__all__ = [
    "Method",
    "Spectrum",
    "from_framework",
    "load_spectrum",
    "analyze",
    "analyze_setting",
    "zoo_bound",
    "zoo_simulate",
    "zoo_tune",
    "zoo_map",
    "certify_setting",
    "analyze_schedule",
    "schedule_values",
    "worst_case",
    "stable_lr",
    "critical_momentum",
    "tune",
    "bound",
    "simulate",
    "stability_map",
    "minibatch",
    "lanczos",
    "spectral_density",
    "LanczosResult",
    "Monitor",
    "Report",
    "Analysis",
    "WorstCase",
    "CriticalMomentum",
    "Tuning",
    "Bound",
    "Trajectory",
    "StabilityMap",
    "REGIMES",
    "FRAMEWORKS",
]

#: Regime names; ``Analysis.regime_code`` and ``StabilityMap.regime_code`` index this tuple.
REGIMES: Tuple[str, ...] = tuple(_native.REGIMES)
_REGIME_ARRAY = np.array(REGIMES)

#: Conventions understood by :func:`from_framework` and :meth:`Method.to_framework`.
FRAMEWORKS: Tuple[str, ...] = (
    "canonical",
    "pytorch",
    "keras",
    "optax",
    "ewma",
    "physics",
    "sutskever",
)

SpectrumLike = Union[Spectrum, Tuple[float, float], Sequence[float], np.ndarray, str, "os.PathLike[str]"]


# ---------------------------------------------------------------------------------------------
# input checks: dtypes and shapes are the binding's business; values are the library's


def _real_array(x: Any, name: str) -> np.ndarray:
    """A contiguous 1-D float64 copy/view of ``x``; ValueError for complex, non-numeric,
    multi-dimensional or empty input (NaN and inf are left for the library to name)."""
    try:
        a = np.asarray(x)
    except Exception as e:  # ragged lists and the like
        raise ValueError(f"{name} must be a 1-D array of real numbers: {e}") from None
    if a.dtype.kind == "c":
        raise ValueError(f"{name} must be real, got complex dtype {a.dtype}")
    if a.dtype.kind not in "fiu":
        raise ValueError(f"{name} must be real numbers, got dtype {a.dtype}")
    if a.ndim == 0:
        a = a.reshape(1)
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"{name} is empty: give at least one value")
    return np.ascontiguousarray(a, dtype=np.float64)


def _real(x: Any, name: str) -> float:
    """A real scalar as float; ValueError for complex, bool, strings, arrays."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {x!r}")
    return float(x)


def _opt_real(x: Any, name: str) -> Optional[float]:
    return None if x is None else _real(x, name)


def _count(x: Any, name: str) -> int:
    """A non-negative integer; ValueError otherwise."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {x!r}")
    if int(x) < 0:
        raise ValueError(f"{name} must be >= 0, got {int(x)}")
    return int(x)


def _method(m: Any) -> Method:
    if not isinstance(m, Method):
        raise ValueError(
            f"expected a momentum.Method (Method.heavy_ball(...), from_framework(...)), got {type(m).__name__}"
        )
    return m


_PRECISIONS = {np.dtype(np.float16): "float16", np.dtype(np.float32): "float32"}


def _spectrum(s: SpectrumLike) -> Spectrum:
    """``(mu, L)`` tuple → interval; a path (``str``/``PathLike``) → the file, read as the CLI's
    ``--spectrum``; any other array-like → eigenvalues, whose float16/float32 dtype sets the
    default flat tolerance (n·ε·max|λ| with that type's ε)."""
    if isinstance(s, Spectrum):
        return s
    if isinstance(s, (str, os.PathLike)):
        return Spectrum.load(os.fspath(s))
    if isinstance(s, tuple) and len(s) == 2 and all(isinstance(v, numbers.Number) for v in s):
        return Spectrum.interval(_real(s[0], "mu"), _real(s[1], "L"))
    precision = _PRECISIONS.get(getattr(s, "dtype", None), "float64")
    return Spectrum.eigenvalues(_real_array(s, "spectrum"), precision)


def load_spectrum(path: Union[str, "os.PathLike[str]"]) -> Spectrum:
    """The spectrum in a file, read as ``momentum analyze --spectrum FILE`` reads it: a NumPy
    ``.npy`` (float16/32/64, integers; a 1-D list or a symmetric matrix, whose eigenvalues are
    taken), text/CSV or JSON (PyHessian). ``.precision`` is the ``.npy``'s float type.
    """
    return Spectrum.load(os.fspath(path))


# ---------------------------------------------------------------------------------------------
# records


@dataclass(frozen=True)
class Analysis:
    """Per-curvature analysis, one entry per λ (NumPy arrays of the same length).

    ``roots`` has shape (n, 2), complex; ``regime`` holds names from :data:`REGIMES`
    (``regime_code`` the indices); ``stable`` is ρ < 1 decided exactly (Jury), not from the
    rounded ρ.
    """

    lambdas: np.ndarray
    c1: np.ndarray
    c0: np.ndarray
    roots: np.ndarray
    spectral_radius: np.ndarray
    regime_code: np.ndarray
    stable: np.ndarray

    @property
    def regime(self) -> np.ndarray:
        """Regime names (``REGIMES[regime_code]``), built on first use."""
        return _REGIME_ARRAY[self.regime_code]

    def __len__(self) -> int:
        return len(self.lambdas)


@dataclass(frozen=True)
class WorstCase:
    """The worst mode over a spectrum (endpoint theorem): its ρ, where, and its regime."""

    spectral_radius: float
    stable: bool
    worst_lambda: float
    regime: str
    regime_lo: str
    regime_hi: str
    iterations_per_decade: Optional[float]
    #: the tolerance that set flat directions apart (``None`` for an interval)
    flat_tolerance: Optional[float] = None
    #: listed curvatures the method sees as flat (|λ + w| ≤ tolerance: ρ = 1, left out)
    flat_directions: int = 0
    #: ``(lambda, growth_rate)`` of each saddle direction (left out of the worst case)
    saddle_directions: Tuple[Tuple[float, float], ...] = ()


@dataclass(frozen=True)
class CriticalMomentum:
    """The momentum that gives curvature ``lam`` a double root ``root`` (modulus ``rate``)."""

    lam: float
    momentum: float
    rate: float
    root: float


@dataclass(frozen=True)
class Tuning:
    """A closed-form tuning: canonical (step, momentum, lookahead), its worst-case rate, and the
    keyword arguments that make ``framework`` run it (``None`` with ``framework_note`` saying
    why, e.g. triple momentum's lookahead has no framework switch)."""

    name: str
    step: float
    momentum: float
    lookahead: float
    rate: float
    iterations_per_decade: Optional[float]
    method: Method
    framework: str
    framework_args: Optional[Dict[str, Any]]
    framework_note: Optional[str]


@dataclass(frozen=True)
class Bound:
    """Worst ‖e_N‖/‖e₀‖ from rest (x₋₁ = x₀) over the spectrum after ``steps`` steps.

    ``worst_factor`` is ``None`` when it is beyond f64 (an unstable setting after many steps);
    then ``worst_factor_log10`` is a lower bound and ``worst_factor_exact`` is False.
    """

    steps: int
    stable: bool
    worst_factor: Optional[float]
    worst_factor_log10: float
    worst_factor_exact: bool
    worst_lambda: float
    spectral_radius: float


@dataclass(frozen=True)
class Trajectory:
    """A simulated run: ``error[k]`` = ‖x_k − x*‖ (``error[0]`` = 1), ``excess[k]`` = f(x_k) − f*."""

    error: np.ndarray
    excess: np.ndarray
    eigenvalues: np.ndarray
    ending: str
    steps_taken: int
    empirical_rate: Optional[float]
    predicted_rate: float


@dataclass(frozen=True)
class StabilityMap:
    """Worst-case ρ over a (step, momentum) grid, ready for ``plt.imshow``.

    ``radius``, ``regime``, ``regime_code`` and ``stable`` have shape (n_momentum, n_step):
    row j is momentum ``momenta[j]``, column i is step ``steps[i]`` (cell centres). Use
    ``plt.imshow(m.radius, origin="lower", extent=m.extent, aspect="auto")``.
    """

    radius: np.ndarray
    regime_code: np.ndarray
    stable: np.ndarray
    steps: np.ndarray
    momenta: np.ndarray
    extent: Tuple[float, float, float, float]
    family: str

    @property
    def regime(self) -> np.ndarray:
        """Regime names at each cell's worst curvature (``REGIMES[regime_code]``)."""
        return _REGIME_ARRAY[self.regime_code]


# ---------------------------------------------------------------------------------------------
# functions


def analyze(method: Method, lambdas: Any) -> Analysis:
    """Roots, spectral radius, regime and stability of ``method`` at every curvature in ``lambdas``.

    ``lambdas``: any 1-D array-like of real numbers (float32 is accepted and widened). For each
    λ the characteristic polynomial z² − c₁z + c₀ with c₁ = p₀ − p₁λ, c₀ = q₀ − q₁λ
    (``method.recurrence``) gives two roots; ρ is the larger modulus.

    Returns an :class:`Analysis` of NumPy arrays. Raises ``ValueError`` for complex, empty or
    multi-dimensional input and for NaN/inf curvatures (the library's message).

    >>> a = analyze(Method.heavy_ball(0.1, 0.5), [1.0, 10.0])
    >>> a.regime.tolist()
    ['underdamped', 'underdamped']
    """
    lam = _real_array(lambdas, "lambdas")
    d = _native.analyze(_method(method), lam)
    code = d["regime"]
    return Analysis(
        lambdas=lam,
        c1=d["c1"],
        c0=d["c0"],
        roots=d["roots"],
        spectral_radius=d["spectral_radius"],
        regime_code=code,
        stable=d["stable"],
    )


def worst_case(method: Method, spectrum: SpectrumLike, flat_tol: Optional[float] = None) -> WorstCase:
    """The worst spectral radius of ``method`` over ``spectrum``: ``(mu, L)``, eigenvalues or a
    file path.

    Over an interval the worst curvature is one of its ends (the endpoint theorem); over a list
    the worst of its smallest and largest eigenvalue. ``stable`` is decided exactly. Listed
    eigenvalues the method sees as flat (|λ + w| ≤ ``flat_tol``, w a coupled weight decay;
    default n·ε·max|λ| with ε of the array's dtype) or negative are set apart and reported in
    ``flat_directions`` and ``saddle_directions``, as ``momentum analyze`` does.

    >>> worst_case(Method.heavy_ball(0.1, 0.5), (1.0, 10.0)).spectral_radius  # √β here
    0.7071067811865476
    """
    d = _native.worst_case(_method(method), _spectrum(spectrum), _opt_real(flat_tol, "flat_tol"))
    d["saddle_directions"] = tuple(d["saddle_directions"])
    return WorstCase(**d)


def stable_lr(
    method: Method, spectrum: SpectrumLike, flat_tol: Optional[float] = None
) -> Optional[Tuple[float, float]]:
    """The open interval (lo, hi) of stable learning rates over ``spectrum``, at ``method``'s
    momentum, in the convention the method was written in (e.g. PyTorch's ``lr``). Flat and
    saddle directions are set apart first, as in :func:`worst_case`.

    ``hi`` is ``inf`` when unbounded; ``None`` when no learning rate is stable. Heavy ball with
    momentum β over [μ, L]: (0, 2(1 + β)/L).

    >>> stable_lr(Method.heavy_ball(0.1, 0.5), (1.0, 10.0))
    (0.0, 0.3)
    """
    return _native.stable_lr(_method(method), _spectrum(spectrum), _opt_real(flat_tol, "flat_tol"))


def _setting_args(
    convention: Any,
    method: Any,
    lr: Any,
    momentum: Any,
    lookahead: Any,
    nesterov: Any,
    dampening: Any,
    weight_decay: Any,
    nu: Any,
) -> Tuple[Any, ...]:
    """A setting written as the CLI's flags, checked, in the native functions' argument order."""
    if not isinstance(convention, str):
        raise ValueError(f"convention must be a string, got {convention!r}")
    if method is not None and not isinstance(method, str):
        raise ValueError(f"method must be a string, got {method!r}")
    return (
        convention,
        method,
        _opt_real(lr, "lr"),
        _opt_real(momentum, "momentum"),
        _opt_real(lookahead, "lookahead"),
        bool(nesterov),
        _opt_real(dampening, "dampening"),
        _opt_real(weight_decay, "weight_decay"),
        _opt_real(nu, "nu"),
    )


def schedule_values(
    shape: str, steps: Optional[int] = None, base_lr: Optional[float] = None
) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """The values of a named shape at t = 0 … steps − 1, as optax or PyTorch write it
    (``"warmup_cosine_decay_schedule(0, 3, 100, 1000)"``, ``"OneCycleLR(max_lr=2,
    total_steps=100)"``, ``"nesterov_momentum()"``; ``base_lr`` for PyTorch's schedulers that
    scale the optimizer's lr), and the momentum the shape cycles with it (``None`` unless it does).

    >>> lr, mom = schedule_values("linear_schedule(1.0, 0.0, 4)")
    >>> lr.tolist(), mom
    ([1.0, 0.75, 0.5, 0.25], None)
    """
    if not isinstance(shape, str):
        raise ValueError(f"shape must be a string such as 'cosine_decay_schedule(1.0, 100)', got {shape!r}")
    n = None if steps is None else _count(steps, "steps")
    lr, mom = _native.shape_values(shape, n, _opt_real(base_lr, "base_lr"))
    return np.asarray(lr, dtype=np.float64), None if mom is None else np.asarray(mom, dtype=np.float64)


def _schedule_list(v: Any, name: str, steps: Optional[int], base_lr: Optional[float]) -> Tuple[Optional[List[float]], Optional[List[float]]]:
    """A schedule argument: an array of per-step values, a file path, or a named shape."""
    if v is None:
        return None, None
    if isinstance(v, str) and "(" in v and v.strip().endswith(")") and not os.path.exists(v):
        lr, mom = schedule_values(v, steps, base_lr)
        return lr.tolist(), None if mom is None else mom.tolist()
    if isinstance(v, (str, os.PathLike)):
        v = _native.load_values(os.fspath(v))
    a = np.asarray(v, dtype=np.float64)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{name} is one value per step (a non-empty 1-D array), got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} holds a value that is not a finite number")
    return a.tolist(), None


def analyze_schedule(
    spectrum: SpectrumLike,
    convention: str = "canonical",
    *,
    lr_schedule: Any = None,
    momentum_schedule: Any = None,
    periodic: bool = False,
    steps: Optional[int] = None,
    method: Optional[str] = None,
    lr: Optional[float] = None,
    momentum: Optional[float] = None,
    lookahead: Optional[float] = None,
    nesterov: bool = False,
    dampening: Optional[float] = None,
    weight_decay: Optional[float] = None,
    nu: Optional[float] = None,
    flat_tol: Optional[float] = None,
    batch: Optional[int] = None,
    label_noise: float = 0.0,
    dim: Optional[int] = None,
) -> Dict[str, Any]:
    """A setting under a schedule, as a dict: the same document, number for number, as
    ``momentum analyze --lr-schedule … --json`` (docs/json.md): the worst |e_N/e_0| over the
    curvatures from the framework's own start (interior maxima included, with a certified
    bound), the peak transient; with ``periodic=True`` the per-step rate of the monodromy on top
    (``spectral_radius``, ``stable``, ``worst_lambda``) and the finite horizon under ``horizon``.

    ``lr_schedule`` / ``momentum_schedule``: per-step values (the value used at step t = 0, 1,
    …, in the framework's own lr), a file, or a named shape such as
    ``"warmup_cosine_decay_schedule(0, 3, 100, 1000)"``. ``steps`` defaults to the length.

    With ``batch=B`` the document gains ``minibatch``, as ``momentum bound --lr-schedule …
    --batch B --json``: E‖x_N − x*‖²/E‖x₀ − x*‖² of the run with B fresh Gaussian samples per
    step (covariance = the spectrum; an interval spread over ``dim`` values, default 100;
    ``label_noise`` σ is echoed, its term left out of the factor) and at the full batch.

    >>> d = analyze_schedule((1.0, 1.0), method="hb", momentum=0.5, lr_schedule=[0.5, 2.5], periodic=True)
    >>> round(d["spectral_radius"], 6), d["stable"]
    (1.366025, False)
    """
    args = _setting_args(convention, method, lr, momentum, lookahead, nesterov, dampening, weight_decay, nu)
    n = None if steps is None else _count(steps, "steps")
    base = _opt_real(lr, "lr")
    lrs, cycled = _schedule_list(lr_schedule, "lr_schedule", n, base)
    moms, _ = _schedule_list(momentum_schedule, "momentum_schedule", n if n is not None else (None if lrs is None else len(lrs)), None)
    if cycled is not None:
        if moms is not None or momentum is not None:
            raise ValueError("OneCycleLR cycles the momentum (cycle_momentum=True): drop momentum/momentum_schedule or pass cycle_momentum=False")
        moms = cycled
    if lrs is None and moms is None:
        raise ValueError("give lr_schedule or momentum_schedule")
    if lrs is not None:
        args = args[:2] + (None,) + args[3:]
    text = _native.analyze_schedule(
        _spectrum(spectrum),
        *args,
        _opt_real(flat_tol, "flat_tol"),
        lrs,
        moms,
        bool(periodic),
        n,
    )
    doc = json.loads(text)
    if batch is None:
        if dim is not None or label_noise != 0.0:
            raise ValueError("label_noise and dim need batch")
        return doc
    b = _count(batch, "batch")
    sigma = _real(label_noise, "label_noise")
    d = None if dim is None else _count(dim, "dim")
    doc["minibatch"] = json.loads(
        _native.schedule_minibatch(
            _spectrum(spectrum), b, *args, lrs, moms, bool(periodic), n, sigma, d
        )
    )
    return doc


def analyze_setting(
    spectrum: SpectrumLike,
    convention: str = "canonical",
    *,
    method: Optional[str] = None,
    lr: Optional[float] = None,
    momentum: Optional[float] = None,
    lookahead: Optional[float] = None,
    nesterov: bool = False,
    dampening: Optional[float] = None,
    weight_decay: Optional[float] = None,
    nu: Optional[float] = None,
    flat_tol: Optional[float] = None,
    noise: Optional[float] = None,
    delay: Optional[int] = None,
    preconditioner: Any = None,
    eps: float = 1e-8,
    b3: Optional[float] = None,
    alpha: Optional[float] = None,
    sync_period: Optional[int] = None,
    slow_step: Optional[float] = None,
    momenta: Optional[Sequence[float]] = None,
    rho: Optional[float] = None,
) -> Dict[str, Any]:
    """The whole answer for one setting, as a dict: the same document, number for number, as
    ``momentum analyze --json`` with the same flags (docs/json.md lists its fields).

    The order-n optimizers take their own flags: ``convention="ademamix"`` (``momentum`` = β₁,
    ``b3``, ``alpha``; the spectrum is the preconditioned curvatures, or a Hessian with
    ``preconditioner``), ``"lookahead"`` (``sync_period``, ``slow_step`` and the inner
    ``optax.sgd``'s ``lr``, ``momentum``, ``nesterov``), ``"schedule_free"`` (``momentum`` = b₁),
    ``"aggmo"`` (``momenta``), ``"sam"`` (``rho`` and the base ``optax.sgd``'s ``lr``,
    ``momentum``, ``nesterov``): their document has the same verdict fields.

    >>> d = analyze_setting([1.0], "ademamix", lr=37.0, momentum=0.9, b3=0.9999, alpha=5.0)
    >>> d["stable"], round(d["largest_stable_lr"], 3)
    (True, 37.82)

    ``noise=σ`` adds the noise floor (flat directions random-walk, saddles diverge),
    ``delay=τ`` the verdict under a gradient τ steps late, and ``preconditioner`` (Adam's settled
    second moment v: an array or a file path; conventions adam, adamw, rmsprop) preconditions
    the Hessian given as ``spectrum`` (its diagonal, a 2-D matrix, or a file holding either) by
    P = √v + ``eps``, the noise floor then in the parameters' coordinates.

    ``spectrum``: ``(mu, L)``, eigenvalues (a float32 array keeps float32's flat tolerance) or a
    file path. The setting is written as the CLI's flags: ``convention`` (``pytorch``, ``optax``,
    ``keras``, …), ``method`` (``gd``, ``hb``, ``nag``, ``tmm``), ``lr``, ``momentum``, and the
    framework's switches. Flat and saddle directions are set apart on the curvature the
    optimizer sees (λ + w under coupled weight decay).

    >>> d = analyze_setting([-1e-15, 0.01, 30.0], "pytorch", lr=0.01, momentum=0.9)
    >>> d["stable"], d["flat_directions"], round(d["spectral_radius"], 6)
    (True, 1, 0.998991)
    """
    args = _setting_args(convention, method, lr, momentum, lookahead, nesterov, dampening, weight_decay, nu)
    kw: Dict[str, Any] = {}
    if preconditioner is not None:
        if isinstance(preconditioner, (str, os.PathLike)):
            kw["source"] = os.fspath(preconditioner)
            v = _native.load_values(os.fspath(preconditioner))
        else:
            v = preconditioner
        if np.ndim(v) != 1:
            raise ValueError(f"preconditioner is a vector (exp_avg_sq), got shape {np.shape(v)}")
        kw["second_moment"] = _real_array(v, "preconditioner")
        kw["eps"] = _real(eps, "eps")
        h = _native.load_values(os.fspath(spectrum)) if isinstance(spectrum, (str, os.PathLike)) else np.asarray(spectrum, dtype=np.float64)
        if h.ndim == 2:
            kw["hessian_matrix"] = np.ascontiguousarray(h, dtype=np.float64)
        else:
            kw["hessian"] = _real_array(h, "spectrum")
        sp = None
    else:
        sp = _spectrum(spectrum)
    if delay is not None:
        kw["delay"] = _count(delay, "delay")
    for name, value in (("b3", b3), ("alpha", alpha), ("slow_step", slow_step), ("rho", rho)):
        if value is not None:
            kw[name] = _real(value, name)
    if sync_period is not None:
        k = _count(sync_period, "sync_period")
        if k >= 2**32:
            raise ValueError(f"sync_period must be in 1..=1000, got {k}")
        kw["sync_period"] = k
    if momenta is not None:
        kw["momenta"] = [_real(b, "momenta") for b in momenta]
    text = _native.analyze_setting(
        sp,
        *args,
        _opt_real(flat_tol, "flat_tol"),
        _opt_real(noise, "noise"),
        **kw,
    )
    return json.loads(text)



_ZOO_CONVENTIONS = ("ademamix", "lookahead", "schedule_free", "aggmo", "sam")


def _zoo(what: str, spectrum: SpectrumLike, convention: str, steps: Optional[int], kw: Dict[str, Any]) -> Dict[str, Any]:
    if not isinstance(convention, str):
        raise ValueError(f"convention must be a string, got {convention!r}")
    args: Dict[str, Any] = {}
    for name in ("lr", "momentum", "b3", "alpha", "slow_step", "rho"):
        if kw.get(name) is not None:
            args[name] = _real(kw[name], name)
    if kw.get("nesterov"):
        args["nesterov"] = True
    if kw.get("sync_period") is not None:
        k = _count(kw["sync_period"], "sync_period")
        if k >= 2**32:
            raise ValueError(f"sync_period must be in 1..=1000, got {k}")
        args["sync_period"] = k
    if kw.get("momenta") is not None:
        args["momenta"] = [_real(b, "momenta") for b in kw["momenta"]]
    if steps is not None:
        args["steps"] = _count(steps, "steps")
    # schedules, as `--lr-schedule` & co. read them: arrays, files or named shapes
    n = args.get("steps")
    lrs, cycled = _schedule_list(kw.get("lr_schedule"), "lr_schedule", n, args.get("lr"))
    if lrs is not None:
        spec = kw["lr_schedule"]
        # a PyTorch scheduler scales the lr given with it (the library says which); else both is an error
        is_shape = isinstance(spec, str) and "(" in spec and spec.strip().endswith(")") and not os.path.exists(spec)
        if "lr" in args and not (is_shape and _native.shape_needs_base_lr(spec)):
            raise ValueError("give lr or lr_schedule, not both: the schedule holds every step's lr")
        args.pop("lr", None)
        args["lr_schedule"] = lrs
        n = n if n is not None else len(lrs)
    moms, _ = _schedule_list(kw.get("momentum_schedule"), "momentum_schedule", n, None)
    if cycled is not None:
        if moms is not None or "momentum" in args:
            raise ValueError("OneCycleLR cycles the momentum (cycle_momentum=True): drop momentum/momentum_schedule or pass cycle_momentum=False")
        moms = cycled
    if moms is not None:
        if "momentum" in args:
            raise ValueError("give momentum or momentum_schedule, not both")
        args["momentum_schedule"] = moms
        n = n if n is not None else len(moms)
    for name in ("b3_schedule", "alpha_schedule"):
        v, _ = _schedule_list(kw.get(name), name, n, None)
        if v is not None:
            args[name] = v
    return json.loads(_native.zoo_run(what, _spectrum(spectrum), convention, **args))


def zoo_bound(spectrum: SpectrumLike, convention: str, *, steps: Optional[int] = None, **kw: Any) -> Dict[str, Any]:
    """``momentum bound --convention X --steps N --json`` for the order-n optimizers (ademamix,
    lookahead, schedule_free, aggmo, sam): the worst |x_N/x₀| and the peak over t ≤ N of the
    exact (time-varying) update from the framework's own start, as a dict. Keywords: the CLI's
    flags (``lr``, ``momentum``, ``nesterov``, ``b3``, ``alpha``, ``sync_period``, ``slow_step``,
    ``momenta``, ``rho``) and the schedules ``lr_schedule``, ``momentum_schedule``,
    ``b3_schedule``, ``alpha_schedule`` (arrays of per-step values, files or named shapes, as
    ``--lr-schedule`` & co.; ``steps`` then defaults to their length).

    >>> b = zoo_bound([1.0], "schedule_free", steps=1000, lr=10.0, momentum=0.9)
    >>> round(b["peak_factor"], 6)
    126.0
    >>> w = zoo_bound([1.0], "schedule_free", steps=1000, lr_schedule="warmup_constant_schedule(0, 10, 10)")
    >>> w["peak_factor"], w["spectral_radius"]
    (1.0, None)
    """
    return _zoo("bound", spectrum, convention, steps, kw)


def zoo_simulate(spectrum: SpectrumLike, convention: str, *, steps: Optional[int] = None, **kw: Any) -> Dict[str, Any]:
    """``momentum simulate --convention X --steps N --json``: the exact update on the diagonal
    quadratic of the listed curvatures from x₀ = (1, …, 1), ‖x_t‖ for t = 0 … N, as a dict;
    schedules as for :func:`zoo_bound`."""
    return _zoo("simulate", spectrum, convention, steps, kw)


def zoo_tune(spectrum: SpectrumLike, convention: str, **kw: Any) -> Dict[str, Any]:
    """``momentum tune --convention X --json``: the learning rate with the smallest worst-case rate
    over ``spectrum`` (μ > 0) with the optimizer's other flags held, as a dict (a numeric search:
    a scan and golden section)."""
    return _zoo("tune", spectrum, convention, None, kw)


def zoo_map(
    spectrum: SpectrumLike,
    convention: str,
    grid: Union[int, Tuple[int, int]],
    *,
    axis: str = "momentum",
    lr_max: Optional[float] = None,
    h_max: Optional[float] = None,
    log_lr: bool = False,
    lr_min: Optional[float] = None,
    y_range: Optional[Tuple[float, float]] = None,
    flat_tol: Optional[float] = None,
    marks: Optional[Sequence[Tuple[float, float]]] = None,
    **kw: Any,
) -> Dict[str, Any]:
    """``momentum map --convention X --json`` for the order-n optimizers (ademamix, lookahead,
    schedule_free, aggmo, sam), as a dict: lr along ``grid[0]`` cells, the row ``axis`` along
    ``grid[1]`` (``"momentum"``: β₁, b₁, the inner/base momentum, AggMo's last momentum;
    ``"b3"`` for ademamix, ``"slow_step"`` for lookahead), each cell the worst-case rate over
    ``spectrum``. The CLI's document plus ``radius`` and ``stable``, arrays of shape
    (n_y, n_lr). Keywords: the optimizer's flags (``nesterov``, ``b3``, ``alpha``,
    ``sync_period``, ``slow_step``, ``momenta``, ``rho``), as for :func:`analyze_setting`;
    ``y_range`` is the CLI's (--momentum-min, --momentum-max).

    >>> d = zoo_map([1.0], "schedule_free", (40, 4), lr_max=40.0)
    >>> d["radius"].shape, round(d["edge"][0]["lr_hi"], 6)
    ((4, 40), 2.285714)
    """
    if not isinstance(convention, str):
        raise ValueError(f"convention must be a string, got {convention!r}")
    if isinstance(grid, tuple):
        if len(grid) != 2:
            raise ValueError(f"grid must be n or (n_lr, n_y), got {grid!r}")
        n, m = _count(grid[0], "grid"), _count(grid[1], "grid")
    else:
        n = m = _count(grid, "grid")
    args: Dict[str, Any] = {"axis": str(axis), "log_lr": bool(log_lr)}
    for name, value in (("lr_max", lr_max), ("h_max", h_max), ("lr_min", lr_min), ("flat_tol", flat_tol)):
        if value is not None:
            args[name] = _real(value, name)
    if y_range is not None:
        if len(y_range) != 2:
            raise ValueError(f"y_range is (low, high), got {y_range!r}")
        args["y_range"] = (_real(y_range[0], "y_range[0]"), _real(y_range[1], "y_range[1]"))
    if marks is not None:
        args["marks"] = [(_real(a, "marks"), _real(b, "marks")) for a, b in marks]
    for name in ("b3", "alpha", "slow_step", "rho"):
        if kw.get(name) is not None:
            args[name] = _real(kw.pop(name), name)
        kw.pop(name, None)
    if kw.get("sync_period") is not None:
        k = _count(kw["sync_period"], "sync_period")
        if k >= 2**32:
            raise ValueError(f"sync_period must be in 1..=1000, got {k}")
        args["sync_period"] = k
    kw.pop("sync_period", None)
    if kw.get("momenta") is not None:
        args["momenta"] = [_real(b, "momenta") for b in kw["momenta"]]
    kw.pop("momenta", None)
    if kw.pop("nesterov", False):
        args["nesterov"] = True
    if kw:
        raise ValueError(f"zoo_map does not take {sorted(kw)}")
    d = json.loads(_native.zoo_map(_spectrum(spectrum), convention, n, m, **args))
    d["radius"] = np.array(d["radius"], dtype=np.float64)
    d["stable"] = np.array(d["stable"], dtype=bool)
    return d


def certify_setting(
    spectrum: SpectrumLike,
    convention: str = "canonical",
    *,
    method: Optional[str] = None,
    lr: Optional[float] = None,
    momentum: Optional[float] = None,
    lookahead: Optional[float] = None,
    nesterov: bool = False,
    dampening: Optional[float] = None,
    weight_decay: Optional[float] = None,
    nu: Optional[float] = None,
    window: Optional[int] = None,
    b3: Optional[float] = None,
    alpha: Optional[float] = None,
    sync_period: Optional[int] = None,
    slow_step: Optional[float] = None,
    momenta: Optional[Sequence[float]] = None,
    rho: Optional[float] = None,
) -> Dict[str, Any]:
    """A linear rate valid on every L-smooth, μ-strongly convex function (the IQC certificate of
    Lessard, Recht & Packard 2016, frequency route, lifted with off-by-j multipliers j ≤
    ``window``; ``window=1`` is the one-step analysis) next to the quadratic worst case, as a
    dict: the same document as ``momentum certify --json`` with the same flags. ``spectrum`` is
    the interval ``(mu, L)``. ``verdict`` is the answer in three zones: ``"certified"`` (a rate
    < 1 on the whole class), ``"counterexample"`` (proven divergent on the class: the
    ``counterexample`` cycle, verified exactly, or a quadratic when ``quadratic_stable`` is
    false) or ``"undecided"``. For the order-n conventions (``ademamix``, ``aggmo``; the CLI's
    flags ``b3``, ``alpha``, ``momenta``, …) the document is ``certify --convention X --json``
    (one-step certificate on the optimizer's pencil); ``sam``, ``schedule_free`` and
    ``lookahead`` raise ``ValueError`` with the reason.

    >>> d = certify_setting((1.0, 10.0), method="gd", lr=2 / 11)
    >>> d["certified"], d["verdict"], round(d["rate"], 6)
    (True, 'certified', 0.818182)
    >>> d = certify_setting((0.1, 1.0), method="hb", lr=2.6, momentum=0.5)
    >>> d["certified"], d["one_step_rate"], d["window"]
    (True, None, 3)
    >>> c = certify_setting((0.1, 1.0), method="hb", lr=2.7, momentum=0.5)
    >>> c["verdict"], c["counterexample"]["period"]
    ('counterexample', 3)
    """
    if convention in _ZOO_CONVENTIONS:
        if window is not None and _count(window, "window") != 1:
            # raises the shared layer's refusal (setting::certify::zoo_options), as the CLI and the page
            _native.certify_setting(_spectrum(spectrum), convention, window=window)
        for name, v in (("method", method), ("lookahead", lookahead), ("dampening", dampening), ("weight_decay", weight_decay), ("nu", nu)):
            if v is not None:
                raise ValueError(f"{name} does not apply to convention {convention}")
        kw = dict(lr=lr, momentum=momentum, nesterov=nesterov, b3=b3, alpha=alpha, sync_period=sync_period, slow_step=slow_step, momenta=momenta, rho=rho)
        return _zoo("certify", spectrum, convention, None, kw)
    for name, v in (("b3", b3), ("alpha", alpha), ("sync_period", sync_period), ("slow_step", slow_step), ("momenta", momenta), ("rho", rho)):
        if v is not None:
            raise ValueError(f"{name} belongs to ademamix, lookahead, aggmo and sam, not convention {convention}")
    args = _setting_args(convention, method, lr, momentum, lookahead, nesterov, dampening, weight_decay, nu)
    return json.loads(_native.certify_setting(_spectrum(spectrum), *args, 3 if window is None else window))


def critical_momentum(method: Method, spectrum: SpectrumLike) -> List[CriticalMomentum]:
    """Momenta (step held) that critically damp the spectrum's smallest and largest curvature.

    Heavy ball at h = αλ: β = (1 − √h)², double root 1 − √h; Nesterov: β = (1 − √h)/(1 + √h).
    Empty for other families and for conventions whose step moves with the momentum (ewma).
    """
    return [
        CriticalMomentum(lam=d["lambda"], momentum=d["momentum"], rate=d["rate"], root=d["root"])
        for d in _native.critical_momentum(_method(method), _spectrum(spectrum))
    ]


def tune(
    kappa: Optional[float] = None,
    *,
    mu: Optional[float] = None,
    L: Optional[float] = None,
    framework: str = "pytorch",
) -> List[Tuning]:
    """The optimal closed-form tunings for curvatures in [mu, L] (or κ alone: [1/κ, 1]).

    Give either ``kappa`` (then L = 1, μ = 1/κ: rates depend on κ alone, steps scale as 1/L) or
    both ``mu`` and ``L``. Returns, in this order: ``gradient_descent`` (α = 2/(μ + L), rate
    (κ − 1)/(κ + 1)), ``heavy_ball`` (Polyak: rate (√κ − 1)/(√κ + 1), the Chebyshev rate),
    ``nesterov`` (α = 1/L, β = (√κ − 1)/(√κ + 1), rate 1 − 1/√κ), ``nesterov_quadratic`` (the
    fastest Nesterov on quadratics) and ``triple_momentum`` (rate 1 − 1/√κ).

    Each :class:`Tuning` carries ``step, momentum, lookahead, rate`` and ``framework_args``: the
    keyword arguments ``framework`` (``"pytorch"``, ``"keras"``, ``"optax"``, …) takes to run it,
    e.g. ``torch.optim.SGD(params, **t.framework_args)``; ``None`` with ``framework_note`` when
    the framework has no switch for it.

    >>> [t.name for t in tune(kappa=100)]
    ['gradient_descent', 'heavy_ball', 'nesterov', 'nesterov_quadratic', 'triple_momentum']

    Raises ``ValueError`` for κ < 1, μ ≤ 0, μ > L, NaN or inf, or both/neither of kappa and mu/L.
    """
    if kappa is not None:
        if mu is not None or L is not None:
            raise ValueError("give either kappa or mu and L, not both")
        mu_, L_ = _native.condition_number_interval(_real(kappa, "kappa"))
    else:
        if mu is None or L is None:
            raise ValueError("give the condition number: tune(kappa=K) or tune(mu=M, L=L)")
        mu_, L_ = _real(mu, "mu"), _real(L, "L")
    out = []
    for name, m, rate in _native.tune(mu_, L_):
        try:
            args: Optional[Dict[str, Any]] = m.to_framework(framework)
            note = None
        except ValueError as e:
            if framework.lower() not in FRAMEWORKS and "unknown convention" in str(e):
                raise
            args, note = None, str(e)
        out.append(
            Tuning(
                name=name,
                step=m.step,
                momentum=m.momentum,
                lookahead=m.lookahead,
                rate=rate,
                iterations_per_decade=(np.log(10) / -np.log(rate)) if 0 < rate < 1 else None,
                method=m,
                framework=framework,
                framework_args=args,
                framework_note=note,
            )
        )
    return out


def bound(method: Method, spectrum: SpectrumLike, steps: int) -> Bound:
    """The exact worst ‖e_N‖/‖e₀‖ after ``steps`` = N steps from rest, over ``spectrum``.

    max over λ of |P_N(λ)|, with P_N the residual polynomial of the recurrence started at
    x₋₁ = x₀ (over an interval: a certified maximisation; over a list: every eigenvalue). Not
    ρᴺ: transients (a double root costs a factor ~N) are included.

    >>> b = bound(Method.heavy_ball(0.1, 0.5), (1.0, 10.0), 50)
    >>> b.worst_factor < 1e-7
    True
    """
    return Bound(
        **_native.bound(_method(method), _spectrum(spectrum), _count(steps, "steps"))
    )


def simulate(
    method: Method,
    spectrum: SpectrumLike,
    steps: int,
    *,
    dim: Optional[int] = None,
    noise: float = 0.0,
    seed: int = 0,
    start: str = "ones",
    dense: bool = False,
) -> Trajectory:
    """Run ``method`` for ``steps`` iterations on the quadratic with Hessian eigenvalues
    ``spectrum`` (a list; or ``(mu, L)`` spread over ``dim`` evenly spaced values, default 100).

    ``noise``: σ of additive Gaussian gradient noise (seeded by ``seed``); ``start``: ``"ones"``
    (every eigendirection equally excited) or ``"gaussian"``; ``dense``: the same eigenvalues in
    a seeded random orthogonal basis. ‖e₀‖ = 1. Runs stop early on underflow (``ending`` =
    ``"underflow"``) or divergence (``"diverged"``).

    Returns a :class:`Trajectory` with ``error`` and ``excess`` arrays of length steps_taken + 1.
    """
    m = _method(method)
    if isinstance(spectrum, tuple) and len(spectrum) == 2:
        eig = np.asarray(
            _native.interval_eigenvalues(
                _real(spectrum[0], "mu"),
                _real(spectrum[1], "L"),
                100 if dim is None else _count(dim, "dim"),
            )
        )
    else:
        if dim is not None:
            raise ValueError("dim spreads eigenvalues over (mu, L); a listed spectrum fixes it")
        eig = _real_array(spectrum, "spectrum")
    if start not in ("ones", "gaussian"):
        raise ValueError(f"start must be 'ones' or 'gaussian', got {start!r}")
    d = _native.simulate(
        m,
        eig,
        _count(steps, "steps"),
        _real(noise, "noise"),
        _count(seed, "seed"),
        start,
        bool(dense),
    )
    return Trajectory(eigenvalues=eig, **d)


def stability_map(
    family: str,
    mu: float,
    L: float,
    lr_max: float,
    grid: Union[int, Tuple[int, int]],
    *,
    momentum_range: Tuple[float, float] = (-1.0, 1.0),
    lookahead: Optional[float] = None,
) -> StabilityMap:
    """Worst-case spectral radius over [mu, L] on a grid of steps (0, lr_max] × momenta.

    ``family``: ``"heavy_ball"``, ``"nesterov"`` or ``"gradient_descent"`` (the momentum axis
    moves β, and γ = 0, β or 0); with ``lookahead=γ`` the lookahead stays fixed instead.
    ``grid``: cells per axis, ``n`` or ``(n_step, n_momentum)``; cells are sampled at their
    centres. Returns a :class:`StabilityMap` of 2-D arrays, shape (n_momentum, n_step).

    >>> m = stability_map("heavy_ball", 1.0, 100.0, 0.04, 64)
    >>> m.radius.shape, bool(m.stable[32, 10])
    ((64, 64), True)
    """
    if isinstance(grid, tuple):
        if len(grid) != 2:
            raise ValueError(f"grid must be n or (n_step, n_momentum), got {grid!r}")
        n_step, n_mom = _count(grid[0], "grid"), _count(grid[1], "grid")
    else:
        n_step = n_mom = _count(grid, "grid")
    lo, hi = momentum_range
    lo, hi = _real(lo, "momentum_range[0]"), _real(hi, "momentum_range[1]")
    look = None if lookahead is None else _real(lookahead, "lookahead")
    lr = _real(lr_max, "lr_max")
    spec = Spectrum.interval(_real(mu, "mu"), _real(L, "L"))
    d = _native.stability_map(str(family), look, spec, lr, n_step, n_mom, lo, hi)
    code = d["regime"]
    return StabilityMap(
        radius=d["radius"],
        regime_code=code,
        stable=d["radius"] < 1.0,
        steps=d["steps"],
        momenta=d["momenta"],
        extent=(0.0, lr, lo, hi),
        family=str(family) if look is None else f"lookahead {look}",
    )


def minibatch(
    method: Method,
    spectrum: Union[Tuple[float, float], Sequence[float], np.ndarray],
    batch: int,
    *,
    label_noise: float = 0.0,
    steps: Optional[int] = None,
    dim: Optional[int] = None,
) -> Dict[str, Any]:
    """Exact mean-square stability of ``method`` under minibatch sampling of Gaussian least
    squares: features a ~ N(0, H) with H's eigenvalues ``spectrum`` (a list, all > 0; or
    ``(mu, L)`` spread over ``dim`` evenly spaced values, ends included, default 100), ``batch``
    fresh samples per step, label noise of standard deviation ``label_noise``.

    Returns the dict of ``momentum analyze --batch B --json``'s ``minibatch`` block:
    ``mean_square_rate`` (E‖e_k‖² shrinks like its k-th power), ``stable``, ``stable_lr``
    (``{"lo", "hi"}`` in the method's own convention, or None), ``largest_stable_lr``,
    ``full_batch_largest_stable_lr``, ``stationary_risk`` (with label noise, when stable) and,
    with ``steps=N``, ``mean_square_factor`` = E‖e_N‖²/E‖e₀‖² from rest for an isotropic e₀.

    Raises ValueError for a batch that is not an integer >= 1, a negative ``label_noise``, a
    non-positive eigenvalue, or a QHM method (two gradients per update).
    """
    m = _method(method)
    b = _count(batch, "batch")
    sigma = _real(label_noise, "label_noise")
    n = None if steps is None else _count(steps, "steps")
    if isinstance(spectrum, tuple) and len(spectrum) == 2:
        interval = (_real(spectrum[0], "mu"), _real(spectrum[1], "L"), 100 if dim is None else _count(dim, "dim"))
        text = _native.minibatch(m, b, interval=interval, label_noise=sigma, steps=n)
    else:
        if dim is not None:
            raise ValueError("dim spreads eigenvalues over (mu, L); a listed spectrum fixes it")
        eig = _real_array(spectrum, "spectrum")
        text = _native.minibatch(m, b, eigenvalues=eig, label_noise=sigma, steps=n)
    return json.loads(text)

# ---------------------------------------------------------------------------------------------
# matrix-free: Lanczos on Hessian-vector products


@dataclass(frozen=True)
class LanczosResult:
    """What :func:`lanczos` found (``full_output=True``): ``values`` with ``residuals`` (an
    eigenvalue of H lies within ``residuals[i]`` of ``values[i]``), whether every value met the
    tolerance, and the cost in products H·v."""

    values: np.ndarray
    residuals: np.ndarray
    converged: bool
    matvecs: int
    restarts: int
    runs: int
    scale: float


def _default_tol(hvp: Any) -> float:
    """1e-8, or 1e-5 when the product says it is computed in float32 (``hvp.dtype``): float32
    products cannot resolve residuals much below 1e-6 of ‖H‖."""
    dtype = getattr(hvp, "dtype", None)
    try:
        return 1e-5 if dtype is not None and np.dtype(dtype).itemsize <= 4 else 1e-8
    except TypeError:
        return 1e-8


def _operator(hvp: Any, dim: Any) -> Tuple[Any, int]:
    """``hvp`` wrapped so that it always hands Rust a 1-D float64 array of length ``dim``."""
    if not callable(hvp):
        raise ValueError(f"hvp must be a callable v -> H·v, got {type(hvp).__name__}")
    if dim is None:
        dim = getattr(hvp, "dim", None)
        if dim is None:
            raise ValueError("give dim (the length of the vectors hvp takes)")
    n = _count(dim, "dim")

    def call(v: np.ndarray) -> np.ndarray:
        y = np.asarray(hvp(v))
        if y.dtype.kind not in "fiu":
            raise ValueError(f"hvp must return real numbers, got dtype {y.dtype}")
        y = np.ascontiguousarray(y, dtype=np.float64).reshape(-1)
        if y.size != n:
            raise ValueError(f"hvp returned {y.size} numbers for a vector of dimension {n}")
        return y

    return call, n


def lanczos(
    hvp: Any,
    dim: Optional[int] = None,
    *,
    k: int = 1,
    which: str = "largest",
    tol: Optional[float] = None,
    seed: int = 0,
    max_dim: Optional[int] = None,
    max_matvecs: int = 20000,
    check_multiplicity: bool = True,
    full_output: bool = False,
) -> Union[np.ndarray, LanczosResult]:
    """The ``k`` largest (or smallest) eigenvalues of a symmetric H known only through
    ``hvp(v) = H·v`` (a callable NumPy vector → NumPy vector): symmetric Lanczos with full
    reorthogonalisation in the Rust library (``momentum::lanczos``), descending for
    ``"largest"``, ascending for ``"smallest"``.

    ``hvp`` is called from Rust with the GIL held, one vector at a time (float64; an adapter such
    as :func:`momentum.jax.hvp` casts to the model's dtype). ``dim`` defaults to ``hvp.dim``.
    A value is converged when its residual ‖H·y − θ·y‖ ≤ ``tol``·max|θ| (then an eigenvalue of
    H lies within that residual); ``tol`` defaults to 1e-8, or 1e-5 when ``hvp.dtype`` is
    float32. Multiplicities are found by a locked rerun in the complement
    (``check_multiplicity``). ``seed`` fixes the random start vectors.

    Raises ``RuntimeError`` when ``max_matvecs`` products do not reach ``tol`` (``full_output=True``
    returns the :class:`LanczosResult` instead, residuals included); ``ValueError`` for bad
    arguments; an exception raised by ``hvp`` propagates unchanged.

    >>> import numpy as np
    >>> d = np.arange(1.0, 101.0)
    >>> lanczos(lambda v: d * v, 100, k=2).round(10).tolist()
    [100.0, 99.0]
    """
    if which not in ("largest", "smallest"):
        raise ValueError(f"which must be 'largest' or 'smallest', got {which!r}")
    call, n = _operator(hvp, dim)
    t = _default_tol(hvp) if tol is None else _real(tol, "tol")
    d = _native.lanczos(
        call,
        n,
        _count(k, "k"),
        which,
        t,
        _count(seed, "seed"),
        None if max_dim is None else _count(max_dim, "max_dim"),
        _count(max_matvecs, "max_matvecs"),
        bool(check_multiplicity),
    )
    r = LanczosResult(**d)
    if full_output:
        return r
    if not r.converged:
        raise RuntimeError(
            f"Lanczos did not reach tol = {t:g} in {r.matvecs} products (largest residual "
            f"{float(np.max(r.residuals)) / max(r.scale, 1e-300):.1e} of the scale): raise "
            "max_matvecs or max_dim, loosen tol, or pass full_output=True for the values anyway"
        )
    return r.values


def spectral_density(
    hvp: Any, dim: Optional[int] = None, *, probes: int = 10, steps: int = 50, seed: int = 0
) -> Tuple[np.ndarray, np.ndarray]:
    """A spectral density of H by stochastic Lanczos quadrature: ``(nodes, weights)``, point
    masses summing to 1 that estimate (1/n)·Σᵢ δ(λ − λᵢ) — per Rademacher probe, ``steps``
    Lanczos steps give a Gauss quadrature exact to degree 2·steps − 1, so Σ wᵢθᵢʲ averages
    vᵀHʲv, whose mean is tr(Hʲ)/n (Ghorbani et al. 2019; PyHessian).

    >>> import numpy as np
    >>> d = np.linspace(0.0, 1.0, 50)
    >>> nodes, weights = spectral_density(lambda v: d * v, 50, probes=2, steps=10)
    >>> round(float(weights @ nodes), 12), round(float(weights @ nodes**2), 12)
    (0.5, 0.336734693878)
    """
    call, n = _operator(hvp, dim)
    return _native.spectral_density(call, n, _count(probes, "probes"), _count(steps, "steps"), _count(seed, "seed"))


from .monitor import Monitor, Report  # noqa: E402  (uses the functions above)
