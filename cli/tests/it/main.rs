//! The command line's tests, one binary: end-to-end runs of the `momentum` executable (JSON
//! checked against closed forms, human output), the bad-input contract, and the figures.

mod audit;
mod certificate;
mod certified_map;
mod certify;
mod cli;
mod common;
mod delay;
mod extremes;
mod figures;
mod mapconv;
mod minibatch;
mod noisy;
mod polyak;
mod practice;
mod schedule;
mod setting;
mod zoo;
mod zoo_schedule;
