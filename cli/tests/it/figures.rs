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
