"""Notebook-style example: the stability maps of heavy ball and Nesterov, drawn with matplotlib.

    pip install ./python matplotlib
    python python/examples/stability_map.py [out.png]

Each panel is the worst-case spectral radius ρ over curvatures in [μ, L] = [1, 100] on a grid of
steps α × momenta β (`momentum.stability_map`, a 2-D array ready for `imshow`); grey cells are
unstable and the white line is ρ = 1, the edge of stability. The star is the optimal tuning of that family (`momentum.tune`).
"""

from __future__ import annotations

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import momentum  # noqa: E402

mu, L = 1.0, 100.0
lr_max = 4.0 / L
best = {t.name: t for t in momentum.tune(mu=mu, L=L)}

fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True, constrained_layout=True)
for ax, family, tuned in zip(axes, ["heavy_ball", "nesterov"], ["heavy_ball", "nesterov_quadratic"]):
    m = momentum.stability_map(family, mu, L, lr_max, (400, 300), momentum_range=(-1.0, 1.0))
    # stable cells coloured by ρ; unstable cells (ρ ≥ 1) masked, drawn grey
    rho = np.ma.masked_where(~m.stable, m.radius)
    cmap = plt.get_cmap("viridis").with_extremes(bad="0.8")
    im = ax.imshow(rho, origin="lower", extent=m.extent, aspect="auto", cmap=cmap, vmin=0.8, vmax=1.0)
    ax.contour(m.steps, m.momenta, m.radius, levels=[1.0], colors="white", linewidths=1.2)
    t = best[tuned]
    ax.plot(t.step, t.momentum, marker="*", color="red", markersize=14, linestyle="none",
            label=f"{tuned.replace('_', ' ')}: rate {t.rate:.3f}")
    ax.set_title(f"{family.replace('_', ' ')}, curvatures in [{mu:g}, {L:g}]")
    ax.set_xlabel("step α")
    ax.legend(loc="lower left")
axes[0].set_ylabel("momentum β")
fig.colorbar(im, ax=axes, label="worst-case spectral radius ρ (grey: unstable, ρ ≥ 1)", extend="min")

out = sys.argv[1] if len(sys.argv) > 1 else "stability_map.png"
fig.savefig(out, dpi=110)
print(f"wrote {out}")
