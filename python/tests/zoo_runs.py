"""Real runs of the issue-26 optimizer zoo on f(x) = ½ s x² (one coordinate, float64), for
scripts/zoo_edges.py and tests/test_zoo_optax.py.

Every run is optax itself (AdEMAMix, simplified AdEMAMix, Lookahead, schedule-free SGD, SAM)
inside one `jax.lax.scan`, with the learning rate a traced argument (one compilation per
optimizer and horizon). AggMo has no optax implementation: its run is the paper's update
(Lucas, Grosse & Ba 2019, Alg. 1) written here. Independently of the runs, `*_matrix` write the
asymptotic linear map of each optimizer in NumPy (from the update lines read in optax's source,
not from the `momentum` package) so the edges can be checked twice.

Adam-type second moments are frozen by scale, not by patching optax: x₀ = 1e-150 and eps = 1,
so √ν̂ ≈ |g| ≤ 1e-148 and √ν̂ + eps == 1.0 exactly in float64 for as long as the run stays below
|x| ~ 1e-17. The denominator is then exactly 1 and the preconditioned curvature is s = λ/1. A
diverging run leaves that regime only after growing by 1e130 (then the real ν̂ caps the step and
|x| saturates near 1e-17 instead of overflowing, which `verdict` counts as divergence: growth
beyond 1e30·|x₀|). Every other run starts at x₀ = 1.
"""

from __future__ import annotations

import functools
import math

import numpy as np

try:  # the helpers below need jax/optax; the tests skip without them
    import jax
    import jax.numpy as jnp
    import optax
    from optax import contrib

    jax.config.update("jax_enable_x64", True)
except ImportError:  # pragma: no cover
    jax = None

X0 = 1.0
X0_ADAM = 1e-150
BLOWUP = 1e30  # growth past this is divergence, whatever the tail does


# ---------------------------------------------------------------------------------------------
# real runs: each returns |iterate| for t = 0..T (numpy float64) and optionally a second series


_jit = jax.jit if jax else (lambda f, **k: f)  # without jax only the NumPy maps below work


def _scan(step, carry, T):
    def body(c, _):
        c, out = step(c)
        return c, out

    _, outs = jax.lax.scan(body, carry, None, length=T)
    return outs


@functools.partial(_jit, static_argnames=("T",))
def _ademamix_run(lr, s, b1, b3, alpha, T):
    opt = contrib.ademamix(lr, b1=b1, b2=0.999, b3=b3, alpha=alpha, eps=1.0)
    x = jnp.asarray(X0_ADAM)
    st = opt.init(x)

    def step(c):
        x, st = c
        u, st = opt.update(s * x, st, x)
        x = optax.apply_updates(x, u)
        return (x, st), x

    return _scan(step, (x, st), T)


@functools.partial(_jit, static_argnames=("T",))
def _simplified_ademamix_run(lr, s, b1, alpha, T):
    opt = contrib.simplified_ademamix(lr, b1=b1, b2=0.95, alpha=alpha, eps=1.0)
    x = jnp.asarray(X0_ADAM)
    st = opt.init(x)

    def step(c):
        x, st = c
        u, st = opt.update(s * x, st, x)
        x = optax.apply_updates(x, u)
        return (x, st), x

    return _scan(step, (x, st), T)


@functools.partial(_jit, static_argnames=("T", "k", "nesterov", "reset"))
def _lookahead_run(lr, lam, a, beta, T, k, nesterov, reset):
    fast = optax.sgd(lr, momentum=beta, nesterov=nesterov)
    opt = optax.lookahead(fast, sync_period=k, slow_step_size=a, reset_state=reset)
    p = optax.LookaheadParams.init_synced(jnp.asarray(X0))
    st = opt.init(p)

    def step(c):
        p, st = c
        u, st = opt.update(lam * p.fast, st, p)
        p = optax.apply_updates(p, u)
        return (p, st), (p.fast, p.slow)

    return _scan(step, (p, st), T)


@functools.partial(_jit, static_argnames=("T",))
def _schedule_free_run(lr, lam, b1, T):
    opt = contrib.schedule_free_sgd(lr, b1=b1)
    y = jnp.asarray(X0)
    st = opt.init(y)

    def step(c):
        y, st = c
        u, st = opt.update(lam * y, st, y)
        y = optax.apply_updates(y, u)
        x = contrib.schedule_free_eval_params(st, y)
        return (y, st), (x, y, st.z)

    return _scan(step, (y, st), T)


@functools.partial(_jit, static_argnames=("T",))
def _sam_run(lr, lam, rho, beta, T):
    """optax.contrib.sam, transparent mode, sync_period 2, adversary optax.sgd(rho) (no
    normalisation: the perturbation is +rho·∇f). One SAM iteration = two `update` calls; the
    series is the params after every second call (the outer iterate)."""
    opt = contrib.sam(optax.sgd(lr, momentum=beta), optax.sgd(rho), sync_period=2)
    x = jnp.asarray(X0)
    st = opt.init(x)

    def step(c):
        x, st = c
        u, st = opt.update(lam * x, st, x)  # adversarial call: x -> x + rho∇f(x)
        x = optax.apply_updates(x, u)
        u, st = opt.update(lam * x, st, x)  # descent call with the gradient at the perturbed point
        x = optax.apply_updates(x, u)
        return (x, st), x

    return _scan(step, (x, st), T)


@functools.partial(_jit, static_argnames=("T",))
def _sgd_run(lr, g_scale, beta, T):
    """optax.sgd(lr, momentum) on the gradient g = g_scale·x (SAM's paper line: g_scale = λ(1+ρλ))."""
    opt = optax.sgd(lr, momentum=beta)
    x = jnp.asarray(X0)
    st = opt.init(x)

    def step(c):
        x, st = c
        u, st = opt.update(g_scale * x, st, x)
        x = optax.apply_updates(x, u)
        return (x, st), x

    return _scan(step, (x, st), T)


@functools.partial(_jit, static_argnames=("T",))
def _aggmo_run(gamma, lam, momenta, T):
    """AggMo as in the paper: v⁽ⁱ⁾ ← β⁽ⁱ⁾v⁽ⁱ⁾ − ∇f(θ), θ ← θ + (γ/K) Σᵢ v⁽ⁱ⁾ (v⁽ⁱ⁾ = 0 at start)."""
    K = momenta.shape[0]
    th = jnp.asarray(X0)
    v = jnp.zeros(K)

    def step(c):
        th, v = c
        v = momenta * v - lam * th
        th = th + (gamma / K) * jnp.sum(v)
        return (th, v), th

    return _scan(step, (th, v), T)


def _np(a, x0=X0):
    return np.abs(np.concatenate([[x0], np.asarray(a, dtype=np.float64)]))


def ademamix(lr, s, b1=0.9, b3=0.9999, alpha=5.0, T=10_000):
    return _np(_ademamix_run(lr, s, b1, b3, alpha, T=T), X0_ADAM)


def simplified_ademamix(lr, s, b1=0.99, alpha=0.0, T=10_000):
    return _np(_simplified_ademamix_run(lr, s, b1, alpha, T=T), X0_ADAM)


def lookahead(lr, lam, k=5, a=0.5, beta=0.0, nesterov=False, reset=False, T=10_000):
    """(|fast|, |slow|) for t = 0..T; T should be a multiple of k."""
    f, s = _lookahead_run(lr, lam, a, beta, T=T, k=k, nesterov=nesterov, reset=reset)
    return _np(f), _np(s)


def schedule_free(lr, lam, b1=0.9, T=10_000, signed=False):
    """(|x|, |y|, |z|) for t = 0..T: x = schedule_free_eval_params (the average), y = the params
    optax holds (gradient point), z = state.z (the SGD sequence); with signed=True the values
    themselves (fast_mode_fit needs y's sign)."""
    out = [np.concatenate([[X0], np.asarray(a, dtype=np.float64)]) for a in _schedule_free_run(lr, lam, b1, T=T)]
    return tuple(out) if signed else tuple(np.abs(a) for a in out)


def sam(lr, lam, rho, beta=0.0, T=10_000):
    return _np(_sam_run(lr, lam, rho, beta, T=T))


def sgd(lr, g_scale, beta=0.0, T=10_000):
    return _np(_sgd_run(lr, g_scale, beta, T=T))


def aggmo(gamma, lam, momenta=(0.0, 0.9, 0.99), T=10_000):
    return _np(_aggmo_run(gamma, lam, jnp.asarray(momenta, dtype=jnp.float64), T=T))


# ---------------------------------------------------------------------------------------------
# reading a run


def tail_rate(series, start, stop=None, every=1):
    """exp of the least-squares slope of log|x_t| over t ∈ [start, stop) sampled every `every`
    steps: the observed per-step contraction rate."""
    stop = len(series) if stop is None else stop
    t = np.arange(start, stop, every)
    y = np.log(series[t])
    if not np.all(np.isfinite(y)):
        return math.inf
    return float(math.exp(np.polyfit(t, y, 1)[0]))


def envelope_rate(series, t1, t2, block):
    """Per-step rate over [t1, t2) from the envelope: the maximum of |x| in each block of `block`
    steps, at the step where it occurs, and the least-squares slope of its log against that step.
    Blocks longer than the oscillation period make it insensitive to a complex or negative
    dominant root (log|x| itself has spikes at the near-zeros of the oscillation) and to
    Lookahead's staircase; taking each maximum at its own step (not the block's middle) keeps a
    fast rate exact. Not for a complex pair at an angle near 0 or π (|x| then beats over more
    than a block): choose the lr so the dominant root is real or well inside (the cases here
    resolve the rate to 1e-5 or better)."""
    ts, ls = [], []
    for b in range(t1, t2 - block + 1, block):
        seg = series[b : b + block]
        i = int(np.argmax(seg))
        if not np.isfinite(seg[i]) or seg[i] <= 0:
            return math.inf
        ts.append(b + i)
        ls.append(math.log(seg[i]))
    return float(math.exp(np.polyfit(np.array(ts, dtype=float), np.array(ls), 1)[0]))


def fast_mode_fit(y, start, stop):
    """Schedule-free SGD's fast mode from a run (y signed: `schedule_free(..., signed=True)`):
    least squares of log|y_{t+1} − y_t| on
    (1, t, log t) over [start, stop). The fast mode behaves as C·t^k·rᵗ (k ≈ b1/(1−b1),
    r = |1 − lr λ (1 − b1)|) while it dominates; the average's algebraic mode (y ~ t^(−1/(1−b1)−1))
    shows as r ≈ 1, k < 0. Returns (r, k)."""
    d = np.abs(np.diff(np.asarray(y, dtype=np.float64)))
    t = np.arange(start, min(stop, len(d)))
    L = np.log(d[t])
    if not np.all(np.isfinite(L)):
        return math.inf, 0.0
    A = np.c_[np.ones(len(t)), t.astype(float), np.log(t)]
    c = np.linalg.lstsq(A, L, rcond=None)[0]
    return float(math.exp(c[1])), float(c[2])


def verdict(series, window=None, blowup=True):
    """'conv' when the whole tail window is below 1e-6·|x₀| (a transient that grows and comes back
    is allowed, since only the tail counts), 'div' when the run ever grew past BLOWUP·|x₀| or is
    not finite, or its tail is above |x₀| and still growing, 'slow' otherwise (the horizon is too
    short to tell). `blowup=False` for schedule-free SGD, whose stable transients near its edge
    grow past any fixed bound (1e30 at lr·λ = 19.99)."""
    n = len(series)
    w = window or max(n // 10, 2)
    tail = series[n - w :]
    if not np.all(np.isfinite(series)) or (blowup and series.max() > BLOWUP * series[0]):
        return "div"
    if tail.max() < 1e-6 * series[0]:
        return "conv"
    if tail[-1] > series[0] and tail[-1] > tail[0]:
        return "div"
    return "slow"


# ---------------------------------------------------------------------------------------------
# the asymptotic linear maps in NumPy (independent of the runs): per step unless said


def rho(m):
    return float(np.max(np.abs(np.linalg.eigvals(np.atleast_2d(m)))))


def ademamix_matrix(lr, s, b1=0.9, b3=0.9999, alpha=5.0):
    """State (x, m1, m2) once the bias correction 1/(1−b1ᵗ) of m1 has died out (m2 is never
    corrected in optax): m1' = b1 m1 + (1−b1) s x, m2' = b3 m2 + (1−b3) s x,
    x' = x − lr (m1' + α m2')."""
    m1 = np.array([(1 - b1) * s, b1, 0.0])
    m2 = np.array([(1 - b3) * s, 0.0, b3])
    x = np.array([1.0, 0.0, 0.0]) - lr * (m1 + alpha * m2)
    return np.array([x, m1, m2])


def simplified_ademamix_matrix(lr, s, b1=0.99, alpha=0.0):
    """State (x, m): m' = b1 m + s x, x' = x − lr (m' + α s x)."""
    m = np.array([s, b1])
    x = np.array([1.0, 0.0]) - lr * (m + alpha * np.array([s, 0.0]))
    return np.array([x, m])


def sgd_matrix(lr, lam, beta=0.0, nesterov=False):
    """optax.sgd on state (x, m): m' = g + β m; update = m' (or g + β m' with nesterov)."""
    m = np.array([lam, beta])
    u = np.array([lam, 0.0]) + beta * m if nesterov else m
    x = np.array([1.0, 0.0]) - lr * u
    return np.array([x, m])


def lookahead_cycle_matrix(lr, lam, k=5, a=0.5, beta=0.0, nesterov=False, reset=False):
    """One sync period (k fast steps, then fast = slow = slow + a(fast − slow)) on (x, m), the
    fast optimizer's momentum kept across the sync (optax's default reset_state=False) or
    zeroed (reset_state=True). Per step: ρ(cycle)^(1/k)."""
    inner = np.linalg.matrix_power(sgd_matrix(lr, lam, beta, nesterov), k)
    # x_new = slow + a (fast − slow) with slow = x (synced at the start of the cycle)
    m = np.array([(1 - a) * np.array([1.0, 0.0]) + a * inner[0], inner[1]])
    if reset:
        m[1] = 0.0
    return m


def aggmo_matrix(gamma, lam, momenta=(0.0, 0.9, 0.99)):
    """State (θ, v⁽¹⁾..v⁽ᴷ⁾): v' = β v − λθ, θ' = θ + (γ/K) Σ v'."""
    b = np.asarray(momenta, dtype=float)
    K = len(b)
    n = K + 1
    m = np.zeros((n, n))
    m[1:, 0] = -lam
    m[1:, 1:] = np.diag(b)
    m[0] = np.eye(n)[0] + (gamma / K) * m[1:].sum(axis=0)
    return m


def sam_matrix(lr, lam, rho_, beta=0.0):
    """optax.sgd(lr, momentum=β) fed g = ∇f(x + ρ∇f(x)) = λ(1 + ρλ) x."""
    return sgd_matrix(lr, lam * (1 + rho_ * lam), beta)


def schedule_free_rate(lr, lam, b1=0.9):
    """The z-sequence's rate once the average has frozen (cₜ = 1/t → 0): |1 − lr λ (1 − b1)|."""
    return abs(1 - lr * lam * (1 - b1))


def matrix_edge(radius, lo=1e-9, hi=1e4, rel=1e-13):
    """The first lr where radius(lr) reaches 1, scanning up from lo geometrically, then bisected."""
    grid = np.geomspace(lo, hi, 4000)
    prev = grid[0]
    for lr in grid:
        if radius(lr) >= 1.0:
            a, b = prev, lr
            while b - a > rel * b:
                mid = 0.5 * (a + b)
                a, b = (mid, b) if radius(mid) < 1.0 else (a, mid)
            return 0.5 * (a + b)
        prev = lr
    return math.inf
