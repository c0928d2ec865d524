//! Switching among steps in any order: bounds on the joint spectral radius.
