//! `all()` and the error paths of the public helpers.

use momentum::Method;
use momentum_claims::{self as claims, Verdict};

#[test]
fn all_checks_are_complete_and_distinct() {
    let all = claims::all().unwrap();
    assert_eq!(all.len(), 44);
    let mut ids: Vec<&str> = all.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
    for c in &all {
        assert!(
            !c.statement.is_empty() && !c.seed.is_empty() && !c.setting.is_empty(),
            "{}",
            c.id
        );
        assert!(c.example.starts_with("claim"), "{}", c.id);
        if !matches!(c.verdict, Verdict::OutOfScope(_)) {
            assert!(!c.computed.is_empty(), "{} has no numbers", c.id);
        }
        let text = c.to_string();
        assert!(text.contains(c.id) && text.contains("verdict"));
        // names are unique within a check (tests look values up by name)
        let mut names: Vec<&str> = c.computed.iter().map(|q| q.name.as_str()).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "{}: duplicate value names", c.id);
        assert!(
            c.computed.iter().all(|q| !q.value.is_nan()),
            "{}: NaN value",
            c.id
        );
    }
    assert!(
        serde_json::to_string(&all)
            .unwrap()
            .contains("\"verdict\":\"holds_when\"")
    );
}

#[test]
fn helpers_reject_bad_input_instead_of_panicking() {
    assert!(claims::heavy_ball_best_rate_at_momentum(1.5, 0.01, 1.0).is_err());
    assert!(claims::heavy_ball_best_rate_at_momentum(0.5, 1.0, 0.01).is_err());
    assert!(claims::kappa_for_speedup(momentum::TuningKind::HeavyBall, 0.0).is_err());
    assert!(claims::kappa_for_speedup(momentum::TuningKind::HeavyBall, 1e12).is_err());
    assert!(
        claims::effective_mass(
            1.0,
            claims::Held::FrictionAndTimeStep {
                friction: 1.0,
                dt: 0.1
            }
        )
        .is_err()
    );
    assert!(claims::best_step(|a| Method::heavy_ball(a, 0.5), (0.01, 1.0), (0.0, 1.0)).is_err());
    assert!(claims::best_step(|a| Method::heavy_ball(a, 0.5), (1.0, 0.01), (0.1, 1.0)).is_err());
    assert!(claims::overshoot_threshold_by_simulation(1.44, 1.0, 100).is_err());
    assert_eq!(claims::detect_cycle(&[1.0, 2.0], 3, 1e-9), None);
    assert_eq!(
        claims::rosenbrock_grid_search(Method::heavy_ball, &[], &[0.5], 1e-6, 10).unwrap(),
        None
    );
}

#[test]
fn the_tally_counts_each_verdict_once() {
    let all = claims::all().unwrap();
    let t = claims::Tally::of(&all);
    assert_eq!(t.total(), all.len());
    // by the tags, independently of the match in Tally::of
    let by_tag = |tag: &str| all.iter().filter(|c| c.verdict.tag() == tag).count();
    assert_eq!(
        (t.holds, t.holds_when, t.wrong, t.out_of_scope),
        (
            by_tag("holds"),
            by_tag("holds when"),
            by_tag("wrong"),
            by_tag("out of scope")
        )
    );
    assert_eq!(
        t.to_string(),
        format!(
            "{} checks: {} hold, {} hold only under a condition, {} wrong, {} out of scope",
            all.len(),
            t.holds,
            t.holds_when,
            t.wrong,
            t.out_of_scope
        )
    );
}

#[test]
fn the_seed_citations_issue_17_added() {
    let all = claims::all().unwrap();
    let seed = |id: &str| all.iter().find(|c| c.id == id).unwrap().seed.clone();
    for id in ["C05", "C16h", "C16k", "C19"] {
        assert!(seed(id).contains(claims::SEED_BLOG), "{id}: {}", seed(id));
    }
    assert!(seed("C16k").contains(claims::SEED_PRINCIPLES));
    // every cited file exists among the seeds' constants
    let files = [
        claims::SEED_APPLICATIONS,
        claims::SEED_PRINCIPLES,
        claims::SEED_NOTES,
        claims::SEED_BLOG,
    ];
    for c in &all {
        for s in c.seed.split(", ") {
            let file = s.split(' ').next().unwrap();
            assert!(files.contains(&file), "{}: {s}", c.id);
        }
    }
}

#[test]
fn claims_md_table_matches_all() {
    let md = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../CLAIMS.md")).unwrap();
    let mut all = claims::all().unwrap();
    all.extend(claims::zoo_all().unwrap());
    let rows: Vec<(&str, &str)> = md
        .lines()
        .filter_map(|l| {
            let id = l.strip_prefix("| **")?.split("**").next()?;
            let verdict = l.rsplit("| **").next()?.split("**").next()?;
            Some((id, verdict))
        })
        .collect();
    assert_eq!(rows.len(), all.len());
    for c in &all {
        let (_, v) = rows
            .iter()
            .find(|r| r.0 == c.id)
            .unwrap_or_else(|| panic!("{} has no row", c.id));
        assert_eq!(*v, c.verdict.tag(), "{}", c.id);
    }
    for checks in [claims::all().unwrap(), claims::zoo_all().unwrap()] {
        let t = claims::Tally::of(&checks);
        assert!(md.contains(&t.to_string()), "CLAIMS.md lacks the line {t}");
    }
}
