//! Numerical building blocks shared by the analysis modules: double-double arithmetic and
//! one-dimensional minimisation. Nothing here knows about momentum methods.

pub(crate) mod dd;
pub(crate) mod minimize;
