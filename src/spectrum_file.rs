//! Spectra from files (`--spectrum FILE`): NumPy `.npy`, text/CSV and PyHessian eigenvalue lists.
