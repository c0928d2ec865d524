//! `momentum map`: the (step, momentum) plane, cell by cell. `run` decides once which kind of
//! map the arguments ask for and sends it down the one route (route.rs): the kinds differ only
//! in their [`route::Kind`] pieces — canonical (canonical.rs), a framework's own plane
//! (framework.rs, `--convention`), delayed gradients (delayed.rs, `--delay`), certified rates
//! (certified.rs, `--certified`).

mod args;
mod canonical;
mod certified;
mod delayed;
pub(super) mod framework;
mod route;
mod zoo;

pub use args::MapArgs;

use crate::commands::common::CliResult;
use canonical::{Canonical, Plane};
use certified::Certified;
use delayed::Delayed;
use framework::FrameworkKind;
use route::route;
use zoo::ZooKind;

pub fn run(a: &MapArgs) -> CliResult<()> {
    if let Some(framework) = a.conv.framework(a.certified)? {
        if framework.is_linear() {
            return route(a, ZooKind::new(a, framework)?);
        }
        return route(a, FrameworkKind::new(a, framework)?);
    }
    let plane = Plane::new(a)?;
    if a.certified {
        return route(a, Certified::new(a, plane)?);
    }
    match a.delay.tau()? {
        Some(tau) => route(a, Delayed::new(a, plane, tau)),
        None => route(a, Canonical::new(a, plane)),
    }
}
