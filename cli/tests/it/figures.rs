//! The figures drawn from the claims catalogue (the ravine paths of claim C14).

#[test]
fn ravine_figure_is_written() {
    // the figure is written
    let dir = std::env::temp_dir().join(format!("momentum-claims-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join("ravine_paths.png");
    momentum_cli::plot::paths::ravine(&png).unwrap();
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.len() > 10_000 && bytes.starts_with(&[0x89, b'P', b'N', b'G']));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn path_figures_reject_bad_input() {
    let bad = momentum_cli::plot::paths::Figure {
        curvatures: [-1.0, 1.0],
        levels: vec![1.0],
        panels: vec![],
    };
    let dir = std::env::temp_dir();
    assert!(momentum_cli::plot::paths::save(&dir.join("claims-bad.png"), &bad).is_err());
    let no_format = momentum_cli::plot::paths::Figure {
        curvatures: [1.0, 1.0],
        levels: vec![1.0],
        panels: vec![momentum_cli::plot::paths::Panel {
            title: "t".into(),
            x2_range: (-1.0, 1.0),
            x1_range: (-1.0, 1.0),
            series: vec![],
        }],
    };
    assert!(momentum_cli::plot::paths::save(&dir.join("claims-bad.txt"), &no_format).is_err());
}

#[test]
fn rate_vs_noise_floor_figure_is_written_and_heavy_ball_meets_gd_at_small_floors() {
    let dir = std::env::temp_dir();
    let png = dir.join(format!("momentum-noise-{}.png", std::process::id()));
    momentum_cli::plot::noise::rate_vs_floor(&png).unwrap();
    assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
    if let Some(keep) = std::env::var_os("MOMENTUM_KEEP_FIGURE") {
        std::fs::copy(&png, keep).unwrap();
    }
    std::fs::remove_file(&png).unwrap();
    // the small-step equivalence, read off the envelopes: at a floor of 0.01 per direction the
    // best heavy-ball rate gap is close to gradient descent's (12% on this coarse grid; the exact
    // ratio of floors → 1 is tested in tests/it/noise.rs)
    let s = momentum::Spectrum::interval(0.01, 1.0).unwrap();
    let at = |f: momentum::Family| {
        momentum_cli::plot::noise::envelope(f, &s, 120, 60)
            .into_iter()
            .filter(|p| p.0 <= 0.01)
            .map(|p| p.1)
            .fold(0.0, f64::max)
    };
    let (gd, hb) = (
        at(momentum::Family::GradientDescent),
        at(momentum::Family::HeavyBall),
    );
    assert!(gd > 0.0 && (hb / gd - 1.0).abs() < 0.2, "gd {gd}, hb {hb}");
}

#[test]
fn figures_list_names_each_committed_figure_once() {
    // the registry (cli/src/commands/figures.rs) is what `figures` and `report` write: one line
    // per figure, stems unique, and figures/ holds exactly those PNGs
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_momentum"))
        .args(["figures", "--list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut stems: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert!(
        text.lines().all(|l| l.split_whitespace().count() > 1),
        "{text}"
    );
    stems.sort_unstable();
    let n = stems.len();
    stems.dedup();
    assert_eq!(stems.len(), n, "a stem is registered twice:\n{text}");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../figures");
    let mut committed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|f| f.strip_suffix(".png").map(str::to_string))
        .collect();
    committed.sort_unstable();
    assert_eq!(committed, stems);
}
