//! Optimizer paths on the contour plot of a two-dimensional quadratic.
