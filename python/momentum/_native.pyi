"""Type stubs of the extension momentum._native (python/src/lib.rs). The public names are
re-exported by momentum/__init__.py; the functions here return plain dicts that it wraps in
records."""

from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np
import numpy.typing as npt

REGIMES: List[str]

class Method:
    """A momentum method: canonical (step α, momentum β, lookahead γ) and its recurrence."""

    @staticmethod
    def heavy_ball(step: float, momentum: float) -> Method: ...
    @staticmethod
    def nesterov(step: float, momentum: float) -> Method: ...
    @staticmethod
    def gradient_descent(step: float) -> Method: ...
    @staticmethod
    def general(step: float, momentum: float, lookahead: float) -> Method: ...
    @staticmethod
    def triple_momentum(mu: float, L: float) -> Method: ...
    @property
    def step(self) -> float: ...
    @property
    def momentum(self) -> float: ...
    @property
    def lookahead(self) -> float: ...
    @property
    def method_on(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def framework(self) -> str: ...
    @property
    def recurrence(self) -> Tuple[float, float, float, float]: ...
    @property
    def weight_decay(self) -> Tuple[str, float]: ...
    @property
    def hidden_root(self) -> Optional[float]: ...
    @property
    def notes(self) -> List[str]: ...
    def to_framework(self, framework: str) -> Dict[str, Any]: ...
    def __eq__(self, other: object) -> bool: ...

class Spectrum:
    """An interval [mu, L] or a list of eigenvalues."""

    @staticmethod
    def interval(mu: float, L: float) -> Spectrum: ...
    @staticmethod
    def eigenvalues(values: npt.NDArray[np.float64], precision: str = "float64") -> Spectrum: ...
    @staticmethod
    def load(path: str) -> Spectrum: ...
    @property
    def bounds(self) -> Tuple[float, float]: ...
    @property
    def kind(self) -> str: ...
    @property
    def precision(self) -> str: ...
    @property
    def values(self) -> Optional[npt.NDArray[np.float64]]: ...

def from_framework(
    framework: str,
    lr: float,
    momentum: Optional[float] = None,
    nesterov: bool = False,
    weight_decay: Optional[float] = None,
    dampening: Optional[float] = None,
    lookahead: Optional[float] = None,
    nu: Optional[float] = None,
) -> Method: ...
def analyze(method: Method, lambdas: npt.NDArray[np.float64]) -> Dict[str, np.ndarray]: ...
def worst_case(method: Method, spectrum: Spectrum, flat_tol: Optional[float] = None) -> Dict[str, Any]: ...
def stable_lr(
    method: Method, spectrum: Spectrum, flat_tol: Optional[float] = None
) -> Optional[Tuple[float, float]]: ...
def analyze_setting(
    spectrum: Optional[Spectrum],
    convention: str = "canonical",
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
    second_moment: Optional[npt.NDArray[np.float64]] = None,
    eps: float = 1e-8,
    source: Optional[str] = None,
    hessian: Optional[npt.NDArray[np.float64]] = None,
    hessian_matrix: Optional[npt.NDArray[np.float64]] = None,
) -> str: ...
def load_values(path: str) -> npt.NDArray[np.float64]: ...
def analyze_schedule(
    spectrum: Spectrum,
    convention: str = "canonical",
    method: Optional[str] = None,
    lr: Optional[float] = None,
    momentum: Optional[float] = None,
    lookahead: Optional[float] = None,
    nesterov: bool = False,
    dampening: Optional[float] = None,
    weight_decay: Optional[float] = None,
    nu: Optional[float] = None,
    flat_tol: Optional[float] = None,
    lr_schedule: Optional[List[float]] = None,
    momentum_schedule: Optional[List[float]] = None,
    periodic: bool = False,
    steps: Optional[int] = None,
) -> str: ...
def schedule_minibatch(
    spectrum: Spectrum,
    batch: int,
    convention: str = "canonical",
    method: Optional[str] = None,
    lr: Optional[float] = None,
    momentum: Optional[float] = None,
    lookahead: Optional[float] = None,
    nesterov: bool = False,
    dampening: Optional[float] = None,
    weight_decay: Optional[float] = None,
    nu: Optional[float] = None,
    lr_schedule: Optional[List[float]] = None,
    momentum_schedule: Optional[List[float]] = None,
    periodic: bool = False,
    steps: Optional[int] = None,
    label_noise: float = 0.0,
    dim: Optional[int] = None,
) -> str: ...
def shape_values(
    spec: str, steps: Optional[int] = None, base_lr: Optional[float] = None
) -> Tuple[List[float], Optional[List[float]]]: ...
def certify_setting(
    spectrum: Spectrum,
    convention: str = "canonical",
    method: Optional[str] = None,
    lr: Optional[float] = None,
    momentum: Optional[float] = None,
    lookahead: Optional[float] = None,
    nesterov: bool = False,
    dampening: Optional[float] = None,
    weight_decay: Optional[float] = None,
    nu: Optional[float] = None,
    window: int = 3,
) -> str: ...
def critical_momentum(method: Method, spectrum: Spectrum) -> List[Dict[str, float]]: ...
def tune(mu: float, L: float) -> List[Tuple[str, Method, float]]: ...
def condition_number_interval(kappa: float) -> Tuple[float, float]: ...
def chebyshev_rate(kappa: float) -> float: ...
def bound(method: Method, spectrum: Spectrum, steps: int) -> Dict[str, Any]: ...
def simulate(
    method: Method,
    eigenvalues: npt.NDArray[np.float64],
    steps: int,
    noise: float,
    seed: int,
    start: str,
    dense: bool,
) -> Dict[str, Any]: ...
def interval_eigenvalues(mu: float, L: float, dim: int) -> List[float]: ...
def stability_map(
    family: str,
    lookahead: Optional[float],
    spectrum: Spectrum,
    lr_max: float,
    n_step: int,
    n_momentum: int,
    momentum_min: float,
    momentum_max: float,
) -> Dict[str, np.ndarray]: ...
def minibatch(
    method: Method,
    batch: int,
    eigenvalues: Optional[npt.NDArray[np.float64]] = None,
    interval: Optional[Tuple[float, float, int]] = None,
    label_noise: float = 0.0,
    steps: Optional[int] = None,
) -> str: ...
def lanczos(
    hvp: Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]],
    dim: int,
    k: int = 1,
    which: str = "largest",
    tol: float = 1e-8,
    seed: int = 0,
    max_dim: Optional[int] = None,
    max_matvecs: int = 20000,
    check_multiplicity: bool = True,
) -> Dict[str, Any]: ...
def spectral_density(
    hvp: Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]],
    dim: int,
    probes: int = 10,
    steps: int = 50,
    seed: int = 0,
) -> Tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def zoo_map(
    spectrum: Spectrum,
    convention: str,
    n_lr: int,
    n_y: int,
    axis: Optional[str] = ...,
    lr_max: Optional[float] = ...,
    h_max: Optional[float] = ...,
    log_lr: bool = ...,
    lr_min: Optional[float] = ...,
    y_range: Optional[Tuple[float, float]] = ...,
    flat_tol: Optional[float] = ...,
    marks: Optional[List[Tuple[float, float]]] = ...,
    nesterov: bool = ...,
    b3: Optional[float] = ...,
    alpha: Optional[float] = ...,
    sync_period: Optional[int] = ...,
    slow_step: Optional[float] = ...,
    momenta: Optional[List[float]] = ...,
    rho: Optional[float] = ...,
) -> str: ...
