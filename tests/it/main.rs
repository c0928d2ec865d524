//! The library's integration tests, one binary (so the 2-core machine links one test executable,
//! not one per file). Each module holds a topic's independent-oracle checks; see its own header.

mod bounds;
mod certify;
mod certify_lifted;
mod certify_map;
mod certify_zoo;
#[cfg(feature = "sdp")]
mod certify_zoo_pep;
mod conventions;
mod cycle;
mod delay;
mod dense;
#[cfg(feature = "io")]
mod io;
mod lanczos;
mod map;
mod mapconv;
#[cfg(feature = "simulate")]
mod minibatch;
mod no_panic;
#[cfg(feature = "simulate")]
mod noise;
mod optimizers;
#[cfg(feature = "sdp")]
mod pep;
#[cfg(feature = "simulate")]
mod reference_values;
mod roots;
mod schedule;
mod setting;
#[cfg(feature = "simulate")]
mod simulate;
mod spectrum;
mod stability_edges;
#[cfg(feature = "testing")]
mod testing;
mod tuning;
mod zoo;
mod zoo_map;
mod zoo_noise;
mod zoo_schedule;
