"""Regenerate the spectrum-file fixtures with real NumPy (an independent route from the hand-written
headers in tests/io.rs): `python3 make_fixtures.py` in this directory."""
import json

import numpy as np

T = np.array([[2.0, -1.0, 0.0], [-1.0, 2.0, -1.0], [0.0, -1.0, 2.0]])  # eigenvalues 2 - √2, 2, 2 + √2

# what `torch.linalg.eigvalsh(H).numpy()` gives: float32 eigenvalues
np.save("eig_f32.npy", np.array([0.1, 2.5, 312.5], dtype=np.float32))
np.save("tridiag_f64_fortran.npy", np.asfortranarray(T))
np.save("tridiag_f32_big_endian.npy", T.astype(">f4"))
np.save("eig_f16.npy", np.array([0.5, 1.0, 1024.0], dtype=np.float16))
bad = np.asfortranarray(T.copy())
bad[2, 0] = np.nan
np.save("nan_fortran.npy", bad)
np.save("complex.npy", np.array([1 + 2j, 3 + 0j]))

eigenvalues = [312.5, 41.2, 9.87]  # PyHessian: hessian_comp.eigenvalues(top_n=3)[0]
with open("pyhessian_top3.txt", "w") as f:
    print(eigenvalues, file=f)
with open("pyhessian_top3.json", "w") as f:
    json.dump({"top_eigenvalues": eigenvalues, "top_n": 3}, f, indent=2)
# print() output of an array is not a file format: tests/io.rs checks that it is rejected with a hint
with open("numpy_print.txt", "w") as f:
    print(np.array([[2.0, 1.0], [1.0, 2.0]]), file=f)
np.savetxt("tridiag.csv", T, delimiter=",", header="h0,h1,h2", comments="")
np.savetxt("tridiag.txt", T, header="tridiagonal: eigenvalues 2 - sqrt 2, 2, 2 + sqrt 2")

# a Hessian with a two-dimensional null space and one saddle direction, in a random basis: its
# eigenvalues come back as ±1e-15 where they are exactly 0 (flat directions, not instability)
rng = np.random.default_rng(7)
Q, _ = np.linalg.qr(rng.standard_normal((6, 6)))
H = Q @ np.diag([0.0, 0.0, -0.02, 0.01, 0.5, 30.0]) @ Q.T
np.save("hessian_null_saddle.npy", (H + H.T) / 2)
