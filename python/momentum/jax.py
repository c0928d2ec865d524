"""JAX adapters: a NumPy-in, NumPy-out Hessian-vector product of a loss over a parameter pytree
(for :func:`momentum.lanczos` and :class:`momentum.Monitor`), and Adam's second moment read from
an optax state.

The product is forward-over-reverse, H·v = d/dε ∇L(θ + εv) at ε = 0 (``jax.jvp`` of
``jax.grad``): about the cost of two gradients, exact (no finite difference). Parameters are
flattened in ``jax.tree_util`` leaf order (as ``jax.flatten_util.ravel_pytree`` does); vectors
come in as float64 NumPy and are cast to the parameters' dtype, products go back as float64.
The jitted kernel is cached per (loss, tree structure, shapes), so building a new product at
every measurement does not recompile.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Optional, Tuple

import numpy as np

import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree

__all__ = ["hvp", "adam_state"]


@functools.lru_cache(maxsize=64)
def _kernel(loss: Callable[..., Any], treedef: Any, shapes: Tuple[Tuple[Tuple[int, ...], str], ...]) -> Callable[..., Any]:
    sizes = [int(np.prod(s)) for s, _ in shapes]
    offsets = np.cumsum([0] + sizes)

    def unravel(x: Any) -> Any:
        leaves = [
            x[offsets[i] : offsets[i + 1]].reshape(s).astype(dt) for i, (s, dt) in enumerate(shapes)
        ]
        return jax.tree_util.tree_unflatten(treedef, leaves)

    def flat_loss(x: Any, args: Tuple[Any, ...]) -> Any:
        return loss(unravel(x), *args)

    def hv(x: Any, v: Any, args: Tuple[Any, ...]) -> Any:
        return jax.jvp(lambda y: jax.grad(flat_loss)(y, args), (x,), (v,))[1]

    return jax.jit(hv)


class _Hvp:
    """v ↦ H·v at fixed parameters (NumPy in and out); ``dim`` and ``dtype`` of the parameters."""

    def __init__(self, kernel: Callable[..., Any], flat: Any, args: Tuple[Any, ...]) -> None:
        self._kernel = kernel
        self._flat = flat
        self._args = args
        self.dim = int(flat.size)
        self.dtype = np.dtype(flat.dtype)

    def __call__(self, v: Any) -> np.ndarray:
        a = np.asarray(v)
        if a.shape != (self.dim,):
            raise ValueError(f"v must have shape ({self.dim},), got {a.shape}")
        y = self._kernel(self._flat, jnp.asarray(a, dtype=self.dtype), self._args)
        return np.asarray(y, dtype=np.float64)


def hvp(loss: Callable[..., Any], params: Any, *args: Any) -> _Hvp:
    """The Hessian of ``loss(params, *args)`` in ``params`` (a pytree) as a product
    v ↦ H·v on flat NumPy vectors (``.dim`` parameters, ``.dtype`` theirs).

    >>> import jax.numpy as jnp, numpy as np
    >>> f = lambda p, s: s * (p["a"] ** 2).sum() + (p["a"][0] * p["b"])
    >>> h = hvp(f, {"a": jnp.ones(2), "b": jnp.array(1.0)}, 3.0)
    >>> h(np.array([1.0, 0.0, 0.0])).tolist()     # d²f/da₀² = 6, d²f/da₀db = 1
    [6.0, 0.0, 1.0]
    """
    if not callable(loss):
        raise ValueError(f"loss must be a callable loss(params, *args), got {type(loss).__name__}")
    leaves, treedef = jax.tree_util.tree_flatten(params)
    if not leaves:
        raise ValueError("params has no arrays")
    shapes = tuple((tuple(np.shape(x)), str(jnp.asarray(x).dtype)) for x in leaves)
    for s, dt in shapes:
        if not np.issubdtype(np.dtype(dt), np.floating):
            raise ValueError(f"parameters must be floating point, got a leaf of dtype {dt}")
    flat, _ = ravel_pytree(params)
    return _Hvp(_kernel(loss, treedef, shapes), flat, tuple(args))


def adam_state(opt_state: Any) -> Tuple[np.ndarray, int]:
    """``(nu, count)`` of the first ``optax.scale_by_adam`` state inside ``opt_state`` (what
    ``optax.adam``/``optax.adamw`` keep): the second moment flattened in the parameters' leaf
    order, as float64, and the number of updates so far (for the bias correction).

    Raises ``ValueError`` when the state holds no Adam moments.
    """
    found: Optional[Any] = None

    def visit(node: Any) -> None:
        nonlocal found
        if found is not None:
            return
        if hasattr(node, "nu") and hasattr(node, "count") and hasattr(node, "mu"):
            found = node
            return
        if isinstance(node, (tuple, list)):
            for child in node:
                visit(child)

    visit(opt_state)
    if found is None:
        raise ValueError("no Adam state (a ScaleByAdamState with mu, nu, count) in opt_state")
    nu, _ = ravel_pytree(found.nu)
    return np.asarray(nu, dtype=np.float64), int(found.count)
