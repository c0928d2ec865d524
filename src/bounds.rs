//! Convergence bounds: exact finite-horizon worst case and per-curvature transient bounds.
