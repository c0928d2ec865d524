//! Figures of the tuned methods: rate against momentum, rate against κ, error against iteration.
