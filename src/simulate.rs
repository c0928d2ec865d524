//! Simulation of a method on a quadratic.
